export const beta = 2;
