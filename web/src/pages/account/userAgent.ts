/** A short, human name for a browser user-agent string ("Chrome · Android"). */
export function describeAgent(ua: string | null | undefined): string {
  if (!ua) return '—';
  const browser =
    /MicroMessenger/i.test(ua) ? 'WeChat'
    : /Edg\//.test(ua) ? 'Edge'
    : /Firefox\//.test(ua) ? 'Firefox'
    : /Chrome\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) ? 'Safari'
    : /curl|node|undici|playwright/i.test(ua) ? ua.split(/[\s/]/)[0] ?? 'Client'
    : 'Browser';
  const os =
    /HarmonyOS|OpenHarmony/i.test(ua) ? 'HarmonyOS'
    : /Android/i.test(ua) ? 'Android'
    : /iPhone|iPad|iOS/i.test(ua) ? 'iOS'
    : /Windows/i.test(ua) ? 'Windows'
    : /Mac OS X|Macintosh/i.test(ua) ? 'macOS'
    : /Linux/i.test(ua) ? 'Linux'
    : '';
  return os ? `${browser} · ${os}` : browser;
}
