declare module 'virtual:durham-map' {
  /** Address of the generated neighborhoods-and-wards TopoJSON (see vite.config.ts). */
  const url: string;
  export default url;
}
