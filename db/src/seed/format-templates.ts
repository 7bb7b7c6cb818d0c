import type { Beat } from '../validators/beat';

/** A built-in format template: the rows seeded with creator_id null and is_public true. */
export interface FormatTemplateSpec {
  slug: string;
  name: string;
  description: string;
  beats: Beat[];
}

type BeatRow = [key: string, name: string, position: number, description: string, typicalPrompt: string, act?: number];

function beats(rows: BeatRow[]): Beat[] {
  return rows.map(([key, name, position, description, typical_prompt, act]) =>
    act === undefined ? { key, name, description, position, typical_prompt } : { key, name, description, position, act, typical_prompt },
  );
}

/**
 * The classic story structures, with positions as the usual fraction of running time where each beat
 * lands (Save the Cat's page numbers on a 110-page script, the hero's journey's usual act split, …).
 * L4 predictive caching reads typical_prompt to guess the next scenes.
 */
export const FORMAT_TEMPLATES: readonly FormatTemplateSpec[] = [
  {
    slug: 'three-act',
    name: 'Three-act structure',
    description: 'Setup, confrontation, resolution: the backbone of most feature films (Syd Field).',
    beats: beats([
      ['setup', 'Setup', 0, 'Introduce the protagonist, their world and what they want.', 'establishing shot of the hero in their ordinary world', 1],
      ['inciting-incident', 'Inciting incident', 0.12, 'Something disrupts the status quo and poses the central question.', 'a sudden event shatters the calm', 1],
      ['plot-point-1', 'First plot point', 0.25, 'The hero commits to the journey; no way back.', 'the hero crosses a threshold, leaving home behind', 1],
      ['rising-action', 'Rising action', 0.37, 'Obstacles escalate; allies and enemies take shape.', 'montage of mounting obstacles', 2],
      ['midpoint', 'Midpoint', 0.5, 'A revelation or reversal raises the stakes and changes the goal.', 'a shocking discovery changes everything', 2],
      ['plot-point-2', 'Second plot point', 0.75, 'The lowest point; everything seems lost.', 'the hero alone in the dark, defeated', 2],
      ['climax', 'Climax', 0.88, 'The final confrontation resolves the central question.', 'the decisive showdown', 3],
      ['resolution', 'Resolution', 1, 'The new normal; loose ends tied.', 'quiet closing shot of a changed world', 3],
    ]),
  },
  {
    slug: 'heros-journey',
    name: "Hero's journey",
    description: "Joseph Campbell's monomyth in Christopher Vogler's 12 stages.",
    beats: beats([
      ['ordinary-world', 'The ordinary world', 0, 'The hero at home, with a lack or flaw.', 'the hero going about a mundane day', 1],
      ['call-to-adventure', 'Call to adventure', 0.08, 'A challenge or message arrives.', 'a mysterious messenger arrives', 1],
      ['refusal-of-the-call', 'Refusal of the call', 0.14, 'Fear or duty makes the hero hesitate.', 'the hero turns away, afraid', 1],
      ['meeting-the-mentor', 'Meeting the mentor', 0.19, 'A mentor gives advice, training or a gift.', 'an old mentor hands over a talisman', 1],
      ['crossing-the-threshold', 'Crossing the first threshold', 0.25, 'The hero enters the special world.', 'stepping through a gate into a strange land', 1],
      ['tests-allies-enemies', 'Tests, allies, enemies', 0.35, 'The hero learns the rules of the special world.', 'a tavern full of strangers, friend and foe', 2],
      ['approach', 'Approach to the inmost cave', 0.45, 'Preparations for the central ordeal.', 'the team plans at night outside the fortress', 2],
      ['ordeal', 'The ordeal', 0.55, 'A life-or-death crisis; the hero faces their greatest fear.', 'the hero trapped, facing death', 2],
      ['reward', 'Reward (seizing the sword)', 0.65, 'Having survived, the hero takes the prize.', 'the hero lifts the treasure in triumph', 2],
      ['the-road-back', 'The road back', 0.75, 'The hero heads home, pursued.', 'a frantic chase back toward home', 3],
      ['resurrection', 'Resurrection', 0.88, 'A final test where everything is at stake; the hero is reborn.', 'the final battle, the hero transformed', 3],
      ['return-with-the-elixir', 'Return with the elixir', 1, 'The hero comes home changed, bearing something that heals their world.', 'homecoming, sharing the prize with the village', 3],
    ]),
  },
  {
    slug: 'save-the-cat',
    name: 'Save the Cat! beat sheet',
    description: "Blake Snyder's 15 beats (positions from the page numbers of a 110-page script).",
    beats: beats([
      ['opening-image', 'Opening image', 0, 'A snapshot of the hero before the story changes them.', 'a single striking image of the hero\'s life'],
      ['theme-stated', 'Theme stated', 0.05, 'Someone states the lesson the hero will learn.', 'a side character says something wise'],
      ['set-up', 'Set-up', 0.09, 'The hero\'s world, flaws and what needs fixing.', 'the hero\'s daily routine and its problems'],
      ['catalyst', 'Catalyst', 0.11, 'The life-changing event.', 'a letter, a phone call, an accident'],
      ['debate', 'Debate', 0.18, 'Should the hero go? The last chance to say no.', 'the hero argues with themselves at night'],
      ['break-into-two', 'Break into two', 0.23, 'The hero chooses to act and enters the upside-down world.', 'the hero walks out the door with a suitcase'],
      ['b-story', 'B story', 0.27, 'A new relationship that carries the theme.', 'the hero meets an unlikely friend'],
      ['fun-and-games', 'Fun and games', 0.36, 'The promise of the premise: the trailer moments.', 'playful montage in the new world'],
      ['midpoint', 'Midpoint', 0.5, 'A false victory or false defeat; stakes go up.', 'a celebration that hides a threat'],
      ['bad-guys-close-in', 'Bad guys close in', 0.62, 'Doubt, jealousy and real enemies regroup.', 'the villains tighten their grip'],
      ['all-is-lost', 'All is lost', 0.68, 'The opposite of the midpoint; a whiff of death.', 'the mentor falls, the plan fails'],
      ['dark-night-of-the-soul', 'Dark night of the soul', 0.77, 'The hero wallows before the final insight.', 'the hero alone in the rain'],
      ['break-into-three', 'Break into three', 0.77, 'A and B stories meet; the solution appears.', 'the hero has an epiphany and stands up'],
      ['finale', 'Finale', 0.9, 'The hero applies the lesson and wins.', 'the storming of the castle'],
      ['final-image', 'Final image', 1, 'The opposite of the opening image: proof of change.', 'the opening image mirrored, transformed'],
    ]),
  },
  {
    slug: 'kishotenketsu',
    name: 'Kishōtenketsu',
    description: 'The four-part East Asian structure: development through contrast, not conflict.',
    beats: beats([
      ['ki', 'Ki (introduction)', 0, 'Introduce characters and setting.', 'a quiet everyday scene, gently introduced', 1],
      ['sho', 'Shō (development)', 0.25, 'Develop them; nothing major changes yet.', 'the same characters, a little deeper into their day', 2],
      ['ten', 'Ten (twist)', 0.5, 'An unexpected, seemingly unrelated turn.', 'a surprising, unrelated scene somewhere else', 3],
      ['ketsu', 'Ketsu (reconciliation)', 0.75, 'The parts come together and the twist makes sense of the whole.', 'the two threads meet in a harmonious final image', 4],
    ]),
  },
  {
    slug: 'freytags-pyramid',
    name: "Freytag's pyramid",
    description: "Gustav Freytag's five-act dramatic arc.",
    beats: beats([
      ['exposition', 'Exposition', 0, 'Background, setting and characters.', 'wide establishing shots of the world', 1],
      ['rising-action', 'Rising action', 0.2, 'Complications build toward the peak.', 'tension builds between rivals', 2],
      ['climax', 'Climax', 0.5, 'The turning point of the hero\'s fortunes.', 'the moment of decision at the peak of tension', 3],
      ['falling-action', 'Falling action', 0.7, 'Consequences unfold; the outcome becomes inevitable.', 'consequences ripple out', 4],
      ['denouement', 'Dénouement', 0.9, 'Catastrophe or resolution; release of tension.', 'aftermath and release', 5],
    ]),
  },
  {
    slug: 'story-circle',
    name: 'Story circle',
    description: "Dan Harmon's 8-step simplification of the hero's journey.",
    beats: beats([
      ['you', 'You', 0, 'A character is in a zone of comfort.', 'the character comfortable at home'],
      ['need', 'Need', 0.125, 'But they want something.', 'the character gazing at what they lack'],
      ['go', 'Go', 0.25, 'They enter an unfamiliar situation.', 'the character enters a strange place'],
      ['search', 'Search', 0.375, 'Adapt to it.', 'the character struggles to fit in'],
      ['find', 'Find', 0.5, 'Get what they wanted.', 'the character finally grasps the goal'],
      ['take', 'Take', 0.625, 'Pay a heavy price for it.', 'the cost of success hits hard'],
      ['return', 'Return', 0.75, 'Then return to their familiar situation.', 'the journey back home'],
      ['change', 'Change', 0.875, 'Having changed.', 'the character at home, visibly changed'],
    ]),
  },
  {
    slug: 'hook-value-cta',
    name: 'Short-form: hook, value, call to action',
    description: 'Vertical short video (TikTok, Reels, Shorts): stop the scroll, deliver, ask.',
    beats: beats([
      ['hook', 'Hook', 0, 'First 1–3 seconds: a bold claim, question or visual that stops the scroll.', 'extreme close-up, bold text overlay, surprising motion'],
      ['context', 'Context', 0.15, 'Why this matters to the viewer, in one line.', 'presenter to camera, fast cut'],
      ['value', 'Value', 0.3, 'The tip, story or demonstration itself, fast-paced.', 'quick demonstration with jump cuts'],
      ['payoff', 'Payoff', 0.75, 'The result or reveal that rewards watching.', 'before-and-after reveal'],
      ['cta', 'Call to action', 0.9, 'Follow, comment, link in bio.', 'presenter points at the follow button, end card'],
    ]),
  },
  {
    slug: 'problem-agitate-solve',
    name: 'Ad: problem, agitate, solve',
    description: 'The classic direct-response structure for a 30–60 second spot.',
    beats: beats([
      ['problem', 'Problem', 0, 'Show the pain point the viewer recognises.', 'frustrated person struggling with an everyday task'],
      ['agitate', 'Agitate', 0.3, 'Make it vivid: what it costs them.', 'the problem getting worse, close-ups of stress'],
      ['solve', 'Solve', 0.6, 'The product or idea fixes it.', 'product hero shot, problem solved'],
      ['proof', 'Proof', 0.8, 'Testimonial, numbers or demonstration.', 'happy customer testimonial'],
      ['cta', 'Call to action', 0.95, 'What to do next.', 'logo and offer on an end card'],
    ]),
  },
];
