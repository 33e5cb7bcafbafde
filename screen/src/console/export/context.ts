import { createContext } from 'react';

/** Where and when the console is looking, for the title row of an exported table. */
export interface ExportContextValue {
  /** e.g. 全市, 城东区, 实验小学 */
  place: string;
  /** e.g. 2026年秋季学期, or a day */
  period: string;
}

export const ExportContext = createContext<ExportContextValue>({ place: '', period: '' });
