export * from './constants';
export * from './offset';
export type * from './messages';
export * from './hlc';
