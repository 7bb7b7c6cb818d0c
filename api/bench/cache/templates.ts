import type { BeatLike } from '../../src/cache/predict-next-prompts';

/** Built-in format templates the generator's projects follow (L4 predicts from their beats). */
export const BENCH_TEMPLATES: Record<string, BeatLike[]> = {
  'heros-journey': [
    { key: 'ordinary-world', name: 'Ordinary world', typical_prompt: 'wide establishing shot of the home village at dawn' },
    { key: 'call', name: 'Call to adventure', typical_prompt: '{character} finds a mysterious glowing map' },
    { key: 'refusal', name: 'Refusal', typical_prompt: '{character} hesitates at the door looking back' },
    { key: 'mentor', name: 'Mentor', typical_prompt: '{character2} hands {character} an old compass' },
    { key: 'threshold', name: 'Crossing the threshold', typical_prompt: '{character} steps onto the bridge into the fog' },
    { key: 'ordeal', name: 'Ordeal', typical_prompt: '{character} faces the storm on the cliff edge' },
    { key: 'reward', name: 'Reward', typical_prompt: '{character} lifts the shining crystal' },
    { key: 'return', name: 'Return', typical_prompt: '{character} walks home at sunset' },
  ],
  'product-ad': [
    { key: 'hook', name: 'Hook', typical_prompt: 'extreme close up of the product on a marble table' },
    { key: 'problem', name: 'Problem', typical_prompt: '{character} looks frustrated in a messy kitchen' },
    { key: 'solution', name: 'Solution', typical_prompt: '{character} uses the product with a smile' },
    { key: 'proof', name: 'Proof', typical_prompt: 'split screen before and after comparison' },
    { key: 'cta', name: 'Call to action', typical_prompt: 'logo reveal with soft light' },
  ],
  'mystery': [
    { key: 'crime', name: 'The crime', typical_prompt: 'an empty study with a broken window at midnight' },
    { key: 'detective', name: 'Detective arrives', typical_prompt: '{character} arrives in a long coat under a streetlamp' },
    { key: 'clue', name: 'First clue', typical_prompt: '{character} kneels to inspect muddy footprints' },
    { key: 'suspect', name: 'Suspect', typical_prompt: '{character2} smokes nervously by the fireplace' },
    { key: 'chase', name: 'Chase', typical_prompt: '{character} chases {character2} across the rooftops' },
    { key: 'reveal', name: 'Reveal', typical_prompt: '{character} points at {character2} in the crowded hall' },
  ],
};
