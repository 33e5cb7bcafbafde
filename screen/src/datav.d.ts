// @jiaminghi/data-view-react ships no types. Only what the wall uses, typed loosely: its
// `config` objects are plain data. Remember: ScrollRankingBoard and ScrollBoard render their
// text as raw HTML — escape everything passed to them (lib/escape.ts).
declare module '@jiaminghi/data-view-react' {
  import type { ComponentType, CSSProperties, ReactNode } from 'react';
  interface BoxProps {
    className?: string;
    style?: CSSProperties;
    color?: string[];
    backgroundColor?: string;
    children?: ReactNode;
  }
  export const BorderBox1: ComponentType<BoxProps>;
  export const BorderBox8: ComponentType<BoxProps & { dur?: number; reverse?: boolean }>;
  export const BorderBox11: ComponentType<BoxProps & { title?: string; titleWidth?: number }>;
  export const BorderBox12: ComponentType<BoxProps>;
  export const BorderBox13: ComponentType<BoxProps>;
  export const Decoration3: ComponentType<BoxProps>;
  export const Decoration5: ComponentType<BoxProps & { dur?: number }>;
  export const Decoration8: ComponentType<BoxProps & { reverse?: boolean }>;
  export const Decoration10: ComponentType<BoxProps>;
  export const DigitalFlop: ComponentType<{
    config: Record<string, unknown>;
    className?: string;
    style?: CSSProperties;
  }>;
  export const ScrollRankingBoard: ComponentType<{
    config: Record<string, unknown>;
    className?: string;
    style?: CSSProperties;
  }>;
}

// echarts-gl ships no types; importing it registers its 3D series and components with ECharts.
declare module 'echarts-gl';
