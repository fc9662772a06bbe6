import type { Database } from '@civic/db/connect';
import { PrismaClient } from './generated/prisma/client.ts';

export type InitiativesPrisma = PrismaClient;

export function createPrisma(db: Database): PrismaClient {
  return new PrismaClient({ adapter: db.adapter });
}
