import { builder } from '../builder.ts';

export const InitiativeStatus = builder.enumType('InitiativeStatus', {
  description: 'The status indicator shown on the strategic plan dashboard.',
  values: {
    IN_PROGRESS: { description: 'In Progress' },
    ON_HOLD: { description: 'On Hold' },
    COMPLETE_ONGOING: { description: 'Complete/Ongoing' },
  } as const,
});

export const MeasureDirection = builder.enumType('MeasureDirection', {
  description: 'Which way a measure should move.',
  values: {
    UP_IS_BETTER: { description: 'Higher values are better.' },
    DOWN_IS_BETTER: { description: 'Lower values are better.' },
  } as const,
});

export const MeasureFrequency = builder.enumType('MeasureFrequency', {
  description: 'How often a measure is reported.',
  values: {
    MONTHLY: { description: 'Every month.' },
    QUARTERLY: { description: 'Every quarter.' },
    ANNUAL: { description: 'Every year.' },
    ONE_TIME: { description: 'Once.' },
  } as const,
});

export const MeasureValueType = builder.enumType('MeasureValueType', {
  description: 'What kind of number a measure records; observations are checked against it.',
  values: {
    COUNT: { description: 'A whole number of things, at least 0.' },
    PERCENT: { description: 'A percentage from 0 to 100.' },
    NUMBER: { description: 'Any finite number.' },
  } as const,
});

export const AutomaticSource = builder.enumType('AutomaticSource', {
  description: 'Where an automatic measure takes its observations from.',
  values: {
    ENGAGEMENT_PUBLISHED_CONVERSATIONS: {
      description: "Published community conversations per month (engagement's conversationStats, via the gateway).",
    },
  } as const,
});

export const Trend = builder.enumType('MeasureTrend', {
  description: "The latest observation against the previous one, judged by the measure's direction.",
  values: {
    IMPROVING: { description: 'Moved the better way.' },
    WORSENING: { description: 'Moved the worse way.' },
    STEADY: { description: 'Did not change.' },
    UNKNOWN: { description: 'Fewer than two dated observations, or no direction to judge by.' },
  } as const,
});

export const PlanContentEntity = builder.enumType('PlanContentEntity', {
  description: 'The kinds of plan content that hold text in English and Spanish.',
  values: {
    GOAL: { description: 'A goal: title, statement, whyItMatters.' },
    OBJECTIVE: { description: 'An objective: title.' },
    INITIATIVE: {
      description: 'An initiative: title, description, whyItMatters, whatWeHaveBeenDoing, whatsNext.',
    },
    MEASURE: { description: 'A measure: name, targetLabel, unit, note.' },
    OBSERVATION: { description: "A measure's observation: label, note." },
  } as const,
});
