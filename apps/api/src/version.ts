/** Product version shown by /healthz and the OpenAPI document. */
export const APP_VERSION = '0.1.0';
