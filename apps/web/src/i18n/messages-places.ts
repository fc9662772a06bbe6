/** Places (issues 16 and 19): the neighborhood map, neighborhood and conversation pages, where a concern was heard. */
export const placesEn = {
  'places.near': 'Near {name}',
  'nmap.loading': 'Loading the map…',
  'nmap.failed': 'The map could not be loaded; the same figures are in the table.',
  'nmap.noData': 'no data',
  'nmap.wardBorder': 'council ward border',
  'nmap.legend': 'Legend: {label}',
  'nmap.equivalent': 'The same figures, neighborhood by neighborhood, are in the table with this map.',
} as const;

export const placesEs: Record<keyof typeof placesEn, string> = {
  'places.near': 'Cerca de {name}',
  'nmap.loading': 'Cargando el mapa…',
  'nmap.failed': 'No se pudo cargar el mapa; las mismas cifras están en la tabla.',
  'nmap.noData': 'sin datos',
  'nmap.wardBorder': 'límite de distrito del concejo',
  'nmap.legend': 'Leyenda: {label}',
  'nmap.equivalent': 'Las mismas cifras, vecindario por vecindario, están en la tabla junto a este mapa.',
};
