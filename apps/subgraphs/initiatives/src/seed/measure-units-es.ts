/**
 * Spanish for the units of the Durham plan's measures. Apertium garbles these short phrases (e.g.
 * "projects" → "proyecta", "certified UBE members" → "certificaron UBE personal"), so the seed stores
 * these instead. They were written by an AI assistant and no translator has reviewed them: they are
 * stored and shown as machine translations (`machineTranslated: true`), which staff can replace with
 * `setPlanTranslation`. Program names (Engaged City, Be Heard Durham, HEART, UBE) stay as published.
 */
export const MEASURE_UNITS_ES: Readonly<Record<string, string>> = {
  'MT CO2e per year': 'toneladas métricas de CO2e por año',
  'applications per calendar year': 'solicitudes por año calendario',
  'average students': 'promedio de estudiantes',
  calls: 'llamadas',
  'certified UBE members': 'miembros certificados de UBE',
  'city staff attending monthly Engaged City Training Meetings':
    'personal municipal que asiste a las reuniones mensuales de capacitación de Engaged City',
  'conversations uploaded to Be Heard Durham Portal': 'conversaciones subidas al portal Be Heard Durham',
  events: 'eventos',
  'households (housing cost burden)': 'hogares (carga del costo de la vivienda)',
  'neighbors (count of people responded to by HEART at or above a threshold)':
    'vecinos (número de personas atendidas por HEART en un umbral o por encima de él)',
  'new youth leadership positions': 'nuevos puestos de liderazgo juvenil',
  participants: 'participantes',
  'participants graduated (cumulative)': 'participantes graduados (acumulado)',
  percent: 'porcentaje',
  'percent of residents': 'porcentaje de residentes',
  projects: 'proyectos',
  'rental units': 'viviendas de alquiler',
  'survey responses': 'respuestas a la encuesta',
};

/** Who the stored rows name as their author (`ContentTranslation.updatedBy`). */
export const MEASURE_UNITS_ES_AUTHOR = 'seed:measure-units-es (AI-written, not reviewed by a translator)';
