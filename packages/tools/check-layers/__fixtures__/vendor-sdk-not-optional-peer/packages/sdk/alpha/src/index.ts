export const load = () => import("alpha-vendor-sdk");
