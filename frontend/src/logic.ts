/** What the views compute, kept apart from the DOM so that node's test runner checks it. */

export type EpisodeStatus = "pending" | "searching" | "downloading" | "completed" | "failed";
export type ShownStatus = "pending" | "searching" | "grabbed" | "downloading" | "in_plex" | "failed";

export interface Episode {
  id: string;
  follow_id: string;
  series: string;
  season: number | null;
  episode: number | null;
  absolute: number | null;
  title: string | null;
  air_time: string | null;
  status: EpisodeStatus;
  release_name: string | null;
  decision_id: string | null;
  progress?: number | null;
  failed_at?: string | null;
}

const DAY = 86_400_000;

/** `S05E02`, or the absolute number of an anime episode. */
export function episodeCode(e: Pick<Episode, "season" | "episode" | "absolute">): string {
  if (e.season !== null && e.episode !== null) {
    return `S${String(e.season).padStart(2, "0")}E${String(e.episode).padStart(2, "0")}`;
  }
  return e.absolute !== null ? String(e.absolute) : "?";
}

/** The status as the calendar shows it: a download that has not started is "grabbed". */
export function shownStatus(e: Pick<Episode, "status" | "progress">): ShownStatus {
  if (e.status === "completed") return "in_plex";
  if (e.status === "downloading") return e.progress ? "downloading" : "grabbed";
  return e.status;
}

/** Midnight (local time) of the day holding `moment`. */
export function startOfDay(moment: Date): Date {
  return new Date(moment.getFullYear(), moment.getMonth(), moment.getDate());
}

function addDays(day: Date, days: number): Date {
  return new Date(day.getFullYear(), day.getMonth(), day.getDate() + days);
}

/** The days a view shows: the week holding `moment` (from Monday), or the weeks that
 * cover its month. */
export function viewDays(moment: Date, view: "week" | "month"): Date[] {
  const anchor = view === "week" ? startOfDay(moment) : new Date(moment.getFullYear(), moment.getMonth(), 1);
  const first = addDays(anchor, -((anchor.getDay() + 6) % 7));
  let count = 7;
  if (view === "month") {
    const last = new Date(moment.getFullYear(), moment.getMonth() + 1, 0);
    count = Math.ceil((Math.round((startOfDay(last).getTime() - first.getTime()) / DAY) + 1) / 7) * 7;
  }
  return Array.from({ length: count }, (_, i) => addDays(first, i));
}

/** The view moved by one step (a week or a month) forwards or back. */
export function shift(moment: Date, view: "week" | "month", step: number): Date {
  return view === "week"
    ? addDays(moment, 7 * step)
    : new Date(moment.getFullYear(), moment.getMonth() + step, 1);
}

/** `YYYY-MM-DD` of a local day. */
export function dayKey(day: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/** Episodes by the local day they air, in air order. */
export function byDay(episodes: Episode[]): Map<string, Episode[]> {
  const days = new Map<string, Episode[]>();
  const sorted = [...episodes].sort((a, b) => (a.air_time ?? "").localeCompare(b.air_time ?? ""));
  for (const e of sorted) {
    if (!e.air_time) continue;
    const key = dayKey(new Date(e.air_time));
    days.set(key, [...(days.get(key) ?? []), e]);
  }
  return days;
}

/** 1.5 GB, 700 MB (decimal units, as qBittorrent shows them). */
export function bytes(size: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = size;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** 1 h 05 min, 4 min, 30 s: the time left. */
export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

export interface SlashCommand {
  name: string;
  aliases: string[];
  args: string;
}

export const COMMANDS: SlashCommand[] = [
  { name: "/aide", aliases: ["/help"], args: "" },
  { name: "/analyse", aliases: ["/analyze"], args: "[full|quality|upgrades|collections|missing]" },
  { name: "/rapport", aliases: ["/report"], args: "" },
  { name: "/cherche", aliases: ["/search"], args: "<titre>" },
  { name: "/upgrade", aliases: [], args: "[titre]" },
  { name: "/suivre", aliases: ["/follow"], args: "<série>" },
  { name: "/demande", aliases: ["/request"], args: "<film>" },
];

/** The commands a chat input that starts with `/` may be completing (none once a space is
 * typed): French names for French users, English ones otherwise. */
export function completions(input: string, language: string): string[] {
  if (!input.startsWith("/") || /\s/.test(input)) return [];
  const typed = input.toLowerCase();
  const names = COMMANDS.map((c) =>
    language.startsWith("fr") || c.aliases.length === 0 ? c.name : c.aliases[0],
  );
  return names.filter((n) => n.startsWith(typed) && n !== typed);
}

/** Season numbers from what a person types: `1, 3-5` → [1, 3, 4, 5]; null when it is not
 * a list of numbers. */
export function seasons(text: string): number[] | null {
  const found = new Set<number>();
  for (const part of text.split(/[,;\s]+/).filter(Boolean)) {
    const range = /^(\d{1,3})(?:-(\d{1,3}))?$/.exec(part);
    if (!range) return null;
    const [from, to] = [Number(range[1]), Number(range[2] ?? range[1])];
    if (from < 0 || to < from || to - from > 100) return null;
    for (let s = from; s <= to; s += 1) found.add(s);
  }
  return found.size ? [...found].sort((a, b) => a - b) : null;
}

/** A counter's entries, the largest first. */
export function ranked(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
