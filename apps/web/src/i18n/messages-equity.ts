/** The staff equity gap page (issue 19) and its accountability figures (issue 18). */
export const equityEn = {
  'equityPage.intro':
    'Published concerns that nothing is aligned with yet (no initiative or resource answers them), by neighborhood and theme, and how long residents wait for the city’s first public response.',
  'equityPage.chartHeading': 'Unanswered concerns by neighborhood and theme',
  'equityPage.chartSummary':
    'The {shown} largest of {total} neighborhood and theme groups. Every group and its exact count is in the table below the chart.',
  'equityPage.chartBar': '{place}, {theme}: {count}',
  'equityPage.tableHeading': 'All neighborhood and theme groups',
  'equityPage.export': 'Download this table (CSV)',
  'equityPage.exportName': 'equity-gaps',
  'equityPage.listLink.one': 'Open the concern',
  'equityPage.listLink.other': 'Open the {count} concerns',
  'equityPage.listColumn': 'Concerns list',
  'equityPage.servicesColumn': 'Services covering this area for this theme',
  'equityPage.servicesLink.one': '1 service',
  'equityPage.servicesLink.other': '{count} services',
  'equityPage.noService': 'None: no service covers this area',
  'equityPage.servicesNotApplicable': 'Not applicable',
  'equityPage.servicesNote':
    'Services covering this area: active directory services of the row’s theme whose service area covers the neighborhood by geometry (all of the city, a drawn area holding half of the neighborhood or more, a council ward it overlaps, or the neighborhood itself). The link opens the directory filtered by that neighborhood and theme. Rows marked “None” are the equity gap: residents raised concerns there and no service of that theme covers the area. Citywide and untagged groups have no area or theme to match (“Not applicable”).',
  'equityPage.citywide': 'Citywide (no neighborhood)',
  'equityPage.untagged': 'Untagged (no theme)',
  'equityPage.dashNote':
    '“Citywide (no neighborhood)” groups concerns that name no neighborhood; “Untagged (no theme)” groups concerns with no theme yet. Their list links open the concerns list filtered the same way. A concern with several themes counts once in each of its themes.',
  'equityPage.accountabilityHeading': 'How long residents wait for an answer',
  'equityPage.accountabilityIntro':
    'Days from a concern’s first hearing (the day its community conversation was held) to the city’s first public response (its first status change after New) and to Addressed. Medians count only the concerns that got there; the 30-day share counts concerns heard at least 30 days ago.',
  'equityPage.accountabilityCaption':
    'Response times, citywide, for equity-priority areas against other areas, and by neighborhood',
  'equityPage.area': 'Area',
  'equityPage.concerns': 'Concerns',
  'equityPage.answered': 'Answered',
  'equityPage.medianResponse': 'Median days to first response',
  'equityPage.medianAddressed': 'Median days to Addressed',
  'equityPage.within30': 'Answered within 30 days',
  'equityPage.allConcerns': 'All concerns (citywide)',
  'equityPage.priorityAreas': 'Equity-priority areas',
  'equityPage.otherAreas': 'Other areas and citywide concerns',
  'equityPage.noNeighborhood': 'No neighborhood (citywide concerns)',
  'equityPage.nothingToMeasure': '— means there is nothing to measure yet (no concern got that far).',
  'equityPage.comparison':
    'Equity-priority areas: median {priority} days to a first response; other areas: {other} days.',
  'equityPage.source':
    'Source: Civic Graph engagement records — published concerns, the conversations they were heard in and their public status history (the same figures as accountability.csv in the open data).',
  'equityPage.gapSource':
    'Source: Civic Graph engagement records — published concerns and their alignments with initiatives and resources. Equity-priority areas: the city’s equity rule over DataWorks NC indicators.',
  'equityPage.mapLabel': 'Concerns waiting for a first response',
  'equityPage.waiting': 'Waiting for a first response',
  'equityPage.mapEquivalent':
    'The same figures, neighborhood by neighborhood, are in the “Waiting for a first response” column of the table below.',
} as const;

export const equityEs: Record<keyof typeof equityEn, string> = {
  'equityPage.intro':
    'Inquietudes publicadas a las que todavía no responde nada (ninguna iniciativa ni recurso alineado), por vecindario y tema, y cuánto esperan los residentes la primera respuesta pública de la ciudad.',
  'equityPage.chartHeading': 'Inquietudes sin respuesta por vecindario y tema',
  'equityPage.chartSummary':
    'Los {shown} mayores de {total} grupos de vecindario y tema. Cada grupo con su cifra exacta está en la tabla debajo del gráfico.',
  'equityPage.chartBar': '{place}, {theme}: {count}',
  'equityPage.tableHeading': 'Todos los grupos de vecindario y tema',
  'equityPage.export': 'Descargar esta tabla (CSV)',
  'equityPage.exportName': 'brechas-de-equidad',
  'equityPage.listLink.one': 'Abrir la inquietud',
  'equityPage.listLink.other': 'Abrir las {count} inquietudes',
  'equityPage.listColumn': 'Lista de inquietudes',
  'equityPage.servicesColumn': 'Servicios que cubren esta área para este tema',
  'equityPage.servicesLink.one': '1 servicio',
  'equityPage.servicesLink.other': '{count} servicios',
  'equityPage.noService': 'Ninguno: ningún servicio cubre esta área',
  'equityPage.servicesNotApplicable': 'No corresponde',
  'equityPage.servicesNote':
    'Servicios que cubren esta área: servicios activos del directorio con el tema de la fila cuya área de servicio cubre el vecindario por geometría (toda la ciudad, un área dibujada que contiene la mitad del vecindario o más, un distrito del concejo que lo toca, o el propio vecindario). El enlace abre el directorio filtrado por ese vecindario y tema. Las filas marcadas «Ninguno» son la brecha de equidad: los residentes plantearon inquietudes allí y ningún servicio de ese tema cubre el área. Los grupos de toda la ciudad y sin etiquetar no tienen área ni tema que comparar («No corresponde»).',
  'equityPage.citywide': 'Toda la ciudad (sin vecindario)',
  'equityPage.untagged': 'Sin etiquetar (sin tema)',
  'equityPage.dashNote':
    '«Toda la ciudad (sin vecindario)» agrupa las inquietudes que no nombran un vecindario; «Sin etiquetar (sin tema)», las que aún no tienen tema. Sus enlaces abren la lista de inquietudes con el mismo filtro. Una inquietud con varios temas cuenta una vez en cada uno.',
  'equityPage.accountabilityHeading': 'Cuánto esperan los residentes una respuesta',
  'equityPage.accountabilityIntro':
    'Días desde que se escuchó una inquietud por primera vez (el día de su conversación comunitaria) hasta la primera respuesta pública de la ciudad (su primer cambio de estado después de Nueva) y hasta Atendida. Las medianas cuentan solo las inquietudes que llegaron a ese paso; la proporción a 30 días cuenta las escuchadas hace al menos 30 días.',
  'equityPage.accountabilityCaption':
    'Tiempos de respuesta: toda la ciudad, áreas prioritarias de equidad frente a las demás, y por vecindario',
  'equityPage.area': 'Área',
  'equityPage.concerns': 'Inquietudes',
  'equityPage.answered': 'Respondidas',
  'equityPage.medianResponse': 'Mediana de días hasta la primera respuesta',
  'equityPage.medianAddressed': 'Mediana de días hasta Atendida',
  'equityPage.within30': 'Respondidas en 30 días',
  'equityPage.allConcerns': 'Todas las inquietudes (toda la ciudad)',
  'equityPage.priorityAreas': 'Áreas prioritarias de equidad',
  'equityPage.otherAreas': 'Otras áreas e inquietudes de toda la ciudad',
  'equityPage.noNeighborhood': 'Sin vecindario (inquietudes de toda la ciudad)',
  'equityPage.nothingToMeasure': '— significa que aún no hay nada que medir (ninguna inquietud llegó a ese paso).',
  'equityPage.comparison':
    'Áreas prioritarias de equidad: mediana de {priority} días hasta la primera respuesta; otras áreas: {other} días.',
  'equityPage.source':
    'Fuente: registros de participación de Civic Graph — inquietudes publicadas, las conversaciones donde se escucharon y su historial público de estados (las mismas cifras que accountability.csv en los datos abiertos).',
  'equityPage.gapSource':
    'Fuente: registros de participación de Civic Graph — inquietudes publicadas y sus alineaciones con iniciativas y recursos. Áreas prioritarias de equidad: la regla de equidad de la ciudad sobre los indicadores de DataWorks NC.',
  'equityPage.mapLabel': 'Inquietudes que esperan una primera respuesta',
  'equityPage.waiting': 'Esperan una primera respuesta',
  'equityPage.mapEquivalent':
    'Las mismas cifras, vecindario por vecindario, están en la columna «Esperan una primera respuesta» de la tabla de abajo.',
};
