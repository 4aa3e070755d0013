/**
 * The web page's texts (web/i18n.js) read by the server, so that error texts
 * answered in a request's language come from the one table the page shows
 * (and that a test keeps complete for every error code), not from a copy.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The languages the page is written in. */
export type PageLanguage = 'en' | 'zh-CN';

export interface PageMessages {
  /** Each error code's short text, per language. */
  errors: Readonly<Record<PageLanguage, Readonly<Record<string, string>>>>;
  /** The language for an `Accept-Language` header: Chinese for any zh-*, else English (the page's rule). */
  languageOf(acceptLanguage: string | undefined): PageLanguage;
}

interface I18nModule {
  MESSAGES: Record<PageLanguage, { errors: Record<string, string> }>;
  pickLanguage(preferred: readonly string[]): PageLanguage;
}

/**
 * The tags of an Accept-Language header, most wanted first (q=0 dropped).
 * @example preferredLanguages('en;q=0.5, zh-CN') // ['zh-CN', 'en']
 */
export function preferredLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((entry, order) => {
      const [tag = '', ...params] = entry.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) : 1, order };
    })
    .filter((entry) => entry.tag !== '' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order)
    .map((entry) => entry.tag);
}

/** Reads web/i18n.js from the page's folder (see `webRoot`). */
export async function loadPageMessages(webFolder: string): Promise<PageMessages> {
  const i18n = (await import(pathToFileURL(path.join(webFolder, 'i18n.js')).href)) as I18nModule;
  return {
    errors: { en: i18n.MESSAGES.en.errors, 'zh-CN': i18n.MESSAGES['zh-CN'].errors },
    languageOf: (acceptLanguage) => i18n.pickLanguage(preferredLanguages(acceptLanguage)),
  };
}
