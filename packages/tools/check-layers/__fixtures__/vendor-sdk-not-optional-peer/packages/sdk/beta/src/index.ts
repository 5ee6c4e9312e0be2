export const load = () => import("beta-vendor-sdk");
