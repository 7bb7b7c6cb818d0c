import type { CharacterAppearance } from '../validators/character-appearance';
import type { ProjectSettings } from '../validators/project-settings';

/** A demo project: which template and brain it uses, its characters and a line of flavour per scene. */
export interface DemoStory {
  slug: string;
  title: string;
  description: string;
  template: string;
  brain: string;
  settings: ProjectSettings;
  /** Appended to each beat's typical prompt to make the scene's prompt. */
  setting: string;
  characters: Array<{ name: string; description: string; appearance: CharacterAppearance }>;
}

export const DEMO_STORIES: readonly DemoStory[] = [
  {
    slug: 'last-lighthouse',
    title: 'The Last Lighthouse',
    description: 'A keeper on a storm-cut island finds a message that should not exist.',
    template: 'three-act',
    brain: 'film-noir',
    settings: { aspect_ratio: '16:9', resolution: '1080p', default_provider: 'simulated', fps: 24, default_scene_duration_seconds: 6, language: 'en' },
    setting: 'on a storm-battered island lighthouse, 1947',
    characters: [
      { name: 'Ada Marsh', description: 'The lighthouse keeper; stubborn, sleepless, kind.', appearance: { age: 41, gender: 'woman', hair: 'grey-streaked black, tied back', eyes: 'dark brown', build: 'wiry', clothing: 'oilskin coat, wool sweater', distinguishing_features: ['scar across left palm'] } },
      { name: 'Leo Quill', description: 'A mainland detective who arrives with the supply boat.', appearance: { age: 35, gender: 'man', hair: 'slicked brown', eyes: 'grey', build: 'tall', clothing: 'trench coat and fedora' } },
      { name: 'The Stranger', description: 'Washed ashore with no name and a key.', appearance: { age: 28, gender: 'man', hair: 'wet, dark', eyes: 'green', clothing: 'torn naval uniform' } },
    ],
  },
  {
    slug: 'paper-cranes',
    title: 'Paper Cranes',
    description: 'A girl folds a thousand cranes for her grandfather; the village foxes are counting too.',
    template: 'kishotenketsu',
    brain: 'anime-pastoral',
    settings: { aspect_ratio: '16:9', resolution: '1080p', default_provider: 'simulated', fps: 24, default_scene_duration_seconds: 5, language: 'en' },
    setting: 'in a small mountain village in early summer',
    characters: [
      { name: 'Hana', description: 'Ten years old, patient, always has paper in her pockets.', appearance: { age: 10, gender: 'girl', hair: 'short black bob', eyes: 'brown', clothing: 'yellow raincoat' } },
      { name: 'Grandpa Kenji', description: 'Retired postman, tells stories about the foxes.', appearance: { age: 78, gender: 'man', hair: 'white', build: 'slight', clothing: 'indigo jinbei' } },
      { name: 'Kitsune', description: 'A fox who may be more than a fox.', appearance: { distinguishing_features: ['three tails', 'white-tipped ears'] } },
    ],
  },
  {
    slug: 'tide-pools',
    title: 'Tide Pools',
    description: 'Eight minutes in the life of a rock pool between two tides.',
    template: 'story-circle',
    brain: 'nature-documentary',
    settings: { aspect_ratio: '16:9', resolution: '4k', default_provider: 'simulated', fps: 30, default_scene_duration_seconds: 8, language: 'en' },
    setting: 'in a rocky tide pool on the Atlantic coast at low tide',
    characters: [
      { name: 'Octavia', description: 'A young common octopus looking for a den.', appearance: { distinguishing_features: ['mottled red-brown skin', 'one shorter arm'] } },
      { name: 'Dr. Mira Osei', description: 'Marine biologist and narrator.', appearance: { age: 46, gender: 'woman', hair: 'short natural curls', clothing: 'waders and a field vest' } },
    ],
  },
  {
    slug: 'coffee-hack',
    title: '60-second Coffee Hack',
    description: 'A vertical short: better café coffee from a cheap kettle.',
    template: 'hook-value-cta',
    brain: 'verite-documentary',
    settings: { aspect_ratio: '9:16', resolution: '1080p', default_provider: 'simulated', fps: 30, default_scene_duration_seconds: 3, language: 'en' },
    setting: 'in a small, sunlit apartment kitchen',
    characters: [
      { name: 'Sam', description: 'Upbeat presenter who talks fast and pours slow.', appearance: { age: 29, gender: 'nonbinary', hair: 'bleached buzz cut', clothing: 'denim apron' } },
    ],
  },
];
