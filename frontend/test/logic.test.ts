/** The panel's calculations, as a user meets them: days shown, statuses, sizes, commands. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { bytes, byDay, completions, dayKey, duration, Episode, episodeCode, seasons, shift, shownStatus, viewDays } from "../src/logic";
import { translate } from "../src/i18n";

const episode = (over: Partial<Episode>): Episode => ({
  id: "e",
  follow_id: "f",
  series: "Slow Horses",
  season: 5,
  episode: 2,
  absolute: null,
  title: null,
  air_time: "2026-12-02T20:00:00Z",
  status: "pending",
  release_name: null,
  decision_id: null,
  ...over,
});

test("a week starts on Monday and a month view covers whole weeks", () => {
  const week = viewDays(new Date(2026, 11, 2), "week"); // a Wednesday
  assert.deepEqual([dayKey(week[0]), dayKey(week[6])], ["2026-11-30", "2026-12-06"]);
  const month = viewDays(new Date(2026, 11, 15), "month");
  assert.equal(dayKey(month[0]), "2026-11-30");
  assert.equal(month.length % 7, 0);
  assert.equal(dayKey(month[month.length - 1]), "2027-01-03");
  const february = viewDays(new Date(2027, 1, 10), "month"); // starts on a Monday
  assert.equal(dayKey(february[0]), "2027-02-01");
  assert.equal(february.length, 28);
});

test("moving a step goes one week or to the first of the next month", () => {
  assert.equal(dayKey(shift(new Date(2026, 11, 2), "week", 1)), "2026-12-09");
  assert.equal(dayKey(shift(new Date(2026, 0, 31), "month", 1)), "2026-02-01");
  assert.equal(dayKey(shift(new Date(2026, 0, 31), "month", -1)), "2025-12-01");
});

test("an episode's code and its status as the calendar shows them", () => {
  assert.equal(episodeCode(episode({})), "S05E02");
  assert.equal(episodeCode(episode({ season: null, episode: null, absolute: 1151 })), "1151");
  assert.equal(shownStatus(episode({ status: "completed" })), "in_plex");
  assert.equal(shownStatus(episode({ status: "downloading", progress: 0 })), "grabbed");
  assert.equal(shownStatus(episode({ status: "downloading", progress: 0.4 })), "downloading");
  assert.equal(shownStatus(episode({ status: "failed" })), "failed");
});

test("episodes land on their local day in air order", () => {
  const late = episode({ id: "late", air_time: new Date(2026, 11, 2, 22).toISOString() });
  const early = episode({ id: "early", air_time: new Date(2026, 11, 2, 8).toISOString() });
  const days = byDay([late, early, episode({ id: "none", air_time: null })]);
  assert.deepEqual(days.get("2026-12-02")?.map((e) => e.id), ["early", "late"]);
  assert.equal(days.size, 1);
});

test("sizes and times left read like qBittorrent's", () => {
  assert.equal(bytes(512), "512 B");
  assert.equal(bytes(1_500_000_000), "1.5 GB");
  assert.equal(bytes(25_000_000), "25 MB");
  assert.equal(duration(42), "42 s");
  assert.equal(duration(240), "4 min");
  assert.equal(duration(3900), "1 h 05 min");
});

test("slash commands complete in the user's language and stop at the first space", () => {
  assert.deepEqual(completions("/a", "fr"), ["/aide", "/analyse"]);
  assert.deepEqual(completions("/a", "en"), ["/analyze"]);
  assert.deepEqual(completions("/re", "en"), ["/report", "/request"]);
  assert.deepEqual(completions("/aide", "fr"), []);
  assert.deepEqual(completions("/cherche Dune", "fr"), []);
  assert.deepEqual(completions("bonjour", "fr"), []);
});

test("seasons typed as a list or a range; anything else is refused", () => {
  assert.deepEqual(seasons("1, 3-5"), [1, 3, 4, 5]);
  assert.deepEqual(seasons("2 2"), [2]);
  assert.equal(seasons("un"), null);
  assert.equal(seasons("5-3"), null);
  assert.equal(seasons(""), null);
});

test("strings follow the user's language, with English for any other", () => {
  assert.equal(translate("fr", "limit_left", { left: 2, limit: 3 }), "Encore 2 demandes sur 3 aujourd'hui");
  assert.equal(translate("en-GB", "status_in_plex"), "In Plex");
  assert.equal(translate("de", "status_in_plex"), "In Plex");
});
