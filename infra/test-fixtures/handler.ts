/** A stand-in handler for infra tests: the template does not depend on what a handler does. */
export const handler = async (): Promise<{ statusCode: number }> => ({ statusCode: 200 });
