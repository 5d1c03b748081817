/** Name written as the generator of every feed. */
export const GENERATOR = 'edgefeed';
export const GENERATOR_URI = 'https://github.com/edgefeed/edgefeed';
