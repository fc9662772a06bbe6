/** Where a concern is (issue 16): the page names the neighborhood near its point, never the point itself. */
export const placesEn = {
  'places.near': 'Near {name}',
} as const;

export const placesEs: Record<keyof typeof placesEn, string> = {
  'places.near': 'Cerca de {name}',
};
