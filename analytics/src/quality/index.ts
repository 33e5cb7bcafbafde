// Data quality: what is stored but counts in no figure, shown rather than hidden.
export * from './orphans.ts';
export * from './labels.ts';
