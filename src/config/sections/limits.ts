/**
 * Caps on what one feed document and one item may cost. A feed is input from
 * a stranger: every field is cut to its cap before any decoding, HTML or
 * regex work (src/feeds/parse/item-caps.ts), so parsing does bounded work per item
 * whatever the feed sends, and a cut is noted on the item (`truncated`).
 *
 * Fields with only a text cap (title, author, category) are read from at most
 * four times as many characters of markup, since markup and entities take
 * room (`&amp;` is five characters for one). Lengths count UTF-16 code units.
 */
import { z } from "zod";

const cap = (min: number, max: number) => z.number().int().min(min).max(max);

export const LimitsSection = z
  .strictObject({
    /**
     * Characters of an item's (or the feed's) title, as text.
     * @defaultValue 1,000: real headlines run to about 300 characters; the rest
     * is room for scripts that need more characters and for feeds that put the
     * standfirst in the title.
     */
    title: cap(20, 100_000).default(1_000).describe("Characters of a title (as text)"),
    /**
     * Characters of description or content markup read before it becomes text;
     * also the cap on the HTML kept with the item.
     * @defaultValue 20,000: four times the text cap, since article markup (links,
     * images, attributes) is mostly not text; a whole full-text article is cut.
     */
    descriptionMarkup: cap(100, 1_000_000).default(20_000).describe("Characters of description/content markup read (and HTML kept)"),
    /**
     * Characters of an item's description, as text.
     * @defaultValue 5,000: about 800 words, several times a typical summary;
     * classification and dedupe read the opening of a story, not all of it.
     */
    description: cap(100, 1_000_000).default(5_000).describe("Characters of a description (as text)"),
    /**
     * Characters of a link, enclosure URL or GUID. A longer URL is dropped (a
     * cut URL points elsewhere); a longer GUID is cut (it still identifies).
     * @defaultValue 2,048: the longest URL that browsers, CDNs and the sitemap
     * protocol handle everywhere.
     */
    link: cap(256, 100_000).default(2_048).describe("Characters of a link, enclosure URL or GUID"),
    /**
     * Categories kept per item.
     * @defaultValue 50: news items carry up to a dozen or two tags.
     */
    categories: cap(0, 10_000).default(50).describe("Categories kept per item"),
    /**
     * Characters of one category, as text.
     * @defaultValue 200: a tag is a word or a short phrase.
     */
    category: cap(10, 10_000).default(200).describe("Characters of one category"),
    /**
     * Characters of an item's author, as text.
     * @defaultValue 300: a wire byline with several names and "additional
     * reporting by" fits.
     */
    author: cap(10, 10_000).default(300).describe("Characters of an author"),
    /**
     * Enclosure and media URLs kept per item.
     * @defaultValue 20: a podcast episode has one; a media:group lists a few
     * renditions and thumbnails.
     */
    enclosures: cap(0, 1_000).default(20).describe("Enclosure and media URLs kept per item"),
    /**
     * Element nesting depth of an XML document. Deeper elements are not built:
     * their text joins the deepest element kept, and the feed gets a warning.
     * @defaultValue 256: feeds nest about 5 levels and XHTML content a few
     * dozen; the bound keeps tree walks and memory per element small.
     */
    depth: cap(8, 10_000).default(256).describe("XML element nesting depth kept"),
    /**
     * Items read per document; the parser reports how many it left (`dropped`).
     * @defaultValue 2,000: news feeds carry 10 to a few hundred items; a
     * document with more is an archive, and the rest is read on later polls.
     */
    items: cap(1, 1_000_000).default(2_000).describe("Items read per feed document"),
  })
  .prefault({});

export type FeedLimits = z.infer<typeof LimitsSection>;

/** The defaults above, for callers that have no config (tests, benchmarks, one-off tools). */
export const DEFAULT_LIMITS: FeedLimits = Object.freeze(LimitsSection.parse({}));
