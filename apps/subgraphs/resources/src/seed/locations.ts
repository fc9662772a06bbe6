import type { LocationSeed } from './types.ts';

/** Public buildings and partner offices in Durham (addresses as published; coordinates approximate). */
export const LOCATIONS: LocationSeed[] = [
  {
    slug: 'city-hall',
    name: 'Durham City Hall',
    address1: '101 City Hall Plaza',
    postalCode: '27701',
    latitude: 35.9955,
    longitude: -78.9018,
  },
  {
    slug: 'holton',
    name: 'Holton Career and Resource Center',
    address1: '401 N Driver St',
    postalCode: '27703',
    latitude: 35.9869,
    longitude: -78.8763,
  },
  {
    slug: 'wd-hill',
    name: 'W.D. Hill Recreation Center',
    address1: '1308 Fayetteville St',
    postalCode: '27707',
    latitude: 35.9803,
    longitude: -78.8983,
  },
  {
    slug: 'edison-johnson',
    name: 'Edison Johnson Recreation Center',
    address1: '500 W Murray Ave',
    postalCode: '27704',
    latitude: 36.0126,
    longitude: -78.9067,
  },
  {
    slug: 'umd',
    name: 'Urban Ministries of Durham',
    address1: '410 Liberty St',
    postalCode: '27701',
    latitude: 35.9986,
    longitude: -78.8961,
  },
  {
    slug: 'el-centro',
    name: 'El Centro Hispano (Durham office)',
    address1: '2000 Chapel Hill Rd',
    postalCode: '27707',
    latitude: 35.9845,
    longitude: -78.9302,
  },
];
