/** The terminal can show box-drawing and block characters unless the locale says it is not UTF-8. */
export function utf8Locale(env = process.env): boolean {
  const l = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || '';
  return l === '' || /utf-?8/i.test(l);
}
