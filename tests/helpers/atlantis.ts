/** A made-up two-sided topic for CLI tests that train and evaluate on data written for the test. */
export const ATLANTIS_CONFIG = `topics:
  - id: atlantis-borduria
    name: Atlantis–Borduria defense ties
    actors:
      - { side: Atlantis, entities: [{ name: Atlantis, aliases: [Atlantean] }] }
      - { side: Borduria, entities: [{ name: Borduria, aliases: [Bordurian] }] }
    keywords: [warships, fighter jets]
`;
