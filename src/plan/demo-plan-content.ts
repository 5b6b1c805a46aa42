/**
 * What the demo recovery plans hold (written by demo-plans.ts for src/demo/seed.ts), so a demo
 * shows plans people have lived in: Sian Jones (index 24, Pat, North team) has written in nearly
 * every section; Chloe Bennett (20, Pat, South team) only a few lines; Josh Hall (27, Pat, North
 * team, programme ended) his goals, which his end-of-programme summary shows; Kwame Mensah (6,
 * Rob, North team) a little, mostly written by Rob on his behalf. Some sections are private,
 * some shared with the care team.
 *
 * Olu Adeyemi (10, Pat, North team) and the participants the browser tests write in are left
 * without a plan on purpose: those tests need their sections empty and shared with the worker.
 */
import type { EntryContent, MediaKind } from './plan-entry.ts';
import type { Visibility } from './plan-template.ts';

export interface DemoEntry {
  section: string;
  field: string;
  entry: Exclude<EntryContent, { kind: 'media' }>;
  /** The participant wrote it, or their worker did with them, on their behalf. */
  by: 'participant' | 'worker';
  /** Days after allocation it was first written. */
  day: number;
  /** Earlier wording, oldest first: each is a revision before the current one. */
  earlier?: Exclude<EntryContent, { kind: 'media' }>['content'][];
}

/** A drawing, photo or voice note (made in demo-media.ts) and the words that go with it. */
export interface DemoMediaEntry {
  section: string;
  kind: MediaKind;
  description: string;
  day: number;
}

export interface DemoPlan {
  index: number;
  media?: DemoMediaEntry[];
  /** Sections whose sharing differs from the template's default. */
  sharing: Record<string, Visibility>;
  entries: DemoEntry[];
}

const text = (
  section: string,
  field: string,
  words: string,
  by: DemoEntry['by'],
  day: number,
): DemoEntry => ({
  section,
  field,
  entry: { kind: 'text', content: { text: words } },
  by,
  day,
});

const items = (section: string, field: string, lines: string[], by: DemoEntry['by'], day: number) =>
  lines.map((line, n): DemoEntry => ({
    section,
    field,
    entry: { kind: 'list_item', content: { text: line } },
    by,
    day: day + n * 0.01,
  }));

export const DEMO_PLANS: DemoPlan[] = [
  {
    index: 24,
    sharing: { recovery_means: 'private', ups_and_downs: 'care_team', people_and_places: 'care_team' },
    // One of each, so the demo shows what a plan can hold besides words.
    media: [
      {
        section: 'recovery_means',
        kind: 'drawing',
        description: 'Me walking on the hills with the sun out: how recovery feels on a good day.',
        day: 12,
      },
      {
        section: 'people_and_places',
        kind: 'photo',
        description: 'The sunset at Filey, where I go to clear my head.',
        day: 20,
      },
      {
        section: 'keeping_well',
        kind: 'voice',
        description: 'A note to myself for mornings when getting up is hard.',
        day: 25,
      },
    ],
    entries: [
      {
        ...text(
          'moving_on',
          'what_happened',
          'Work got too much and I stopped sleeping. By the end I was not eating and could not face anyone, not even my sister.',
          'participant',
          4,
        ),
        earlier: [{ text: 'Work got too much and I stopped sleeping.' }],
      },
      text(
        'moving_on',
        'what_helped',
        'The crisis team coming every day, even when I did not want them to. My sister sitting with me. Being told it was not my fault.',
        'participant',
        4,
      ),
      text(
        'moving_on',
        'what_i_want_different',
        'I want to tell someone sooner when the sleep goes, instead of hiding it.',
        'worker',
        11,
      ),
      text(
        'recovery_means',
        'in_my_words',
        'Getting back to being me. Laughing with my niece again, going back to my choir, and not being frightened of my own head.',
        'participant',
        12,
      ),
      ...items(
        'keeping_well',
        'day_to_day',
        [
          'A walk round the park before breakfast',
          'Bed by eleven, phone in the kitchen',
          'Ring my sister on Sundays',
        ],
        'participant',
        18,
      ),
      ...items(
        'keeping_well',
        'strengths',
        ['I am stubborn in a good way', 'I am a good listener'],
        'worker',
        18,
      ),
      ...items(
        'keeping_well',
        'what_i_avoid',
        ['Working late every night', 'Too much coffee'],
        'participant',
        25,
      ),
      ...items('ups_and_downs', 'triggers', ['Deadlines piling up', 'Arguments at home'], 'participant', 32),
      ...items(
        'ups_and_downs',
        'warning_signs',
        ['Lying awake after 2am', 'Skipping meals', 'Not answering my phone'],
        'participant',
        32,
      ),
      ...items(
        'ups_and_downs',
        'what_i_will_do',
        ['Tell my sister', 'Take a day off before it gets worse', 'Use the breathing app'],
        'participant',
        39,
      ),
      ...items(
        'ups_and_downs',
        'what_others_can_do',
        ['Ask me straight out how I am sleeping', 'Help me with the shopping'],
        'worker',
        39,
      ),
      {
        section: 'hopes_and_goals',
        field: 'goals',
        by: 'participant',
        day: 46,
        entry: {
          kind: 'goal',
          content: {
            goal: 'Go back to choir',
            progress: 'getting_there',
            steps: [
              { text: 'Email the choir leader', done: true },
              { text: 'Go to one rehearsal and sit at the back', done: true },
              { text: 'Sing at the spring concert', done: false },
            ],
          },
        },
        earlier: [{ goal: 'Go back to choir', progress: 'started', steps: [] }],
      },
      {
        section: 'hopes_and_goals',
        field: 'goals',
        by: 'worker',
        day: 53,
        entry: {
          kind: 'goal',
          content: {
            goal: 'Talk to work about a phased return',
            progress: 'started',
            steps: [
              { text: 'Write down what I need', done: true },
              { text: 'Book a meeting with my manager', done: false },
            ],
          },
        },
      },
      text(
        'tackling_problems',
        'the_problem',
        'Letters from the council about council tax I missed while I was unwell.',
        'participant',
        60,
      ),
      ...items(
        'tackling_problems',
        'options',
        ['Ignore them (no!)', 'Ring the council', 'Ask Citizens Advice to help'],
        'participant',
        60,
      ),
      text(
        'tackling_problems',
        'my_plan',
        'Take the letters to Citizens Advice on Thursday morning with Pat.',
        'worker',
        60,
      ),
      {
        section: 'people_and_places',
        field: 'supporters',
        by: 'participant',
        day: 67,
        entry: {
          kind: 'supporter',
          content: {
            name: 'Jo (my sister)',
            relationship: 'Sister',
            howTheyHelp: 'Sits with me, makes me laugh, notices when I go quiet',
            howToReach: 'Mobile, any time',
          },
        },
      },
      {
        section: 'people_and_places',
        field: 'services',
        by: 'worker',
        day: 67,
        entry: {
          kind: 'service',
          content: {
            name: 'Leeds Recovery College',
            whatTheyOffer: 'Free courses on sleep, stress and getting back to work',
            howToReach: 'Drop in on Tuesdays, or book online',
          },
        },
      },
    ],
  },
  {
    index: 20,
    sharing: { tackling_problems: 'private' },
    entries: [
      text(
        'recovery_means',
        'in_my_words',
        'Feeling like I can cope with the kids on my own again.',
        'participant',
        6,
      ),
      ...items(
        'keeping_well',
        'day_to_day',
        ['School run, then a cup of tea in the garden'],
        'participant',
        13,
      ),
      ...items('keeping_well', 'strengths', ['I never give up on my kids'], 'worker', 13),
    ],
  },
  {
    index: 27,
    sharing: { people_and_places: 'care_team' },
    entries: [
      {
        section: 'hopes_and_goals',
        field: 'goals',
        by: 'participant',
        day: 10,
        entry: {
          kind: 'goal',
          content: {
            goal: 'Walk every morning',
            progress: 'done',
            steps: [
              { text: 'Round the block', done: true },
              { text: 'To the park and back', done: true },
            ],
          },
        },
      },
      {
        section: 'hopes_and_goals',
        field: 'goals',
        by: 'worker',
        day: 24,
        entry: {
          kind: 'goal',
          content: {
            goal: 'Join the Tuesday walking group',
            progress: 'done',
            steps: [{ text: 'Go along once with Pat', done: true }],
          },
        },
      },
      {
        section: 'people_and_places',
        field: 'services',
        by: 'worker',
        day: 31,
        entry: {
          kind: 'service',
          content: {
            name: 'Tuesday walking group',
            whatTheyOffer: 'A friendly walk and a brew afterwards',
            howToReach: 'Meet at the community centre, 10am',
          },
        },
      },
      ...items('keeping_well', 'day_to_day', ['Morning walk', 'Cook a proper tea'], 'participant', 17),
    ],
  },
  {
    index: 6,
    sharing: { ups_and_downs: 'care_team', recovery_means: 'private' },
    entries: [
      ...items('ups_and_downs', 'warning_signs', ['Staying in my room all day'], 'worker', 9),
      ...items('ups_and_downs', 'what_others_can_do', ['Knock and bring me a brew'], 'worker', 9),
      text('recovery_means', 'in_my_words', 'Playing football again on Saturdays.', 'participant', 16),
    ],
  },
];
