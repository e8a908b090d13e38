/** Query lists come as repeated parameters or comma-separated values (`?kind=a&kind=b`, `?kind=a,b`). */
export const queryList = ({ value }: { value: unknown }): string[] | undefined =>
  value === undefined
    ? undefined
    : (Array.isArray(value) ? value : [value])
        .flatMap((v) => String(v).split(','))
        .map((v) => v.trim())
        .filter(Boolean);

/** `true` and `false` as a query string says them; anything else is left for the validator to refuse. */
export const queryFlag = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);
