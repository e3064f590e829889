/** Builds the PWA into dist/ when it is missing or older than its sources. */
export async function buildApp() {}
