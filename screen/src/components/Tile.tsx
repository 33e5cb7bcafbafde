// A still frame (DataV BorderBox13): BorderBox12 animates a blurred glow forever, which alone kept
// a quarter of the main thread busy on an idle wall.
import { BorderBox13 } from '@jiaminghi/data-view-react';
import type { CSSProperties, ReactNode } from 'react';

/** A framed tile with a title and, on the right, how old its data is. */
export function Tile({
  title,
  age,
  children,
  style,
  testId,
}: {
  title: string;
  age?: ReactNode;
  children: ReactNode;
  style?: CSSProperties;
  testId?: string;
}) {
  return (
    <div className="tile" style={style} data-testid={testId}>
      <BorderBox13 color={['#2e6099', '#7ce7fd']}>
        <div className="tile-inner">
          <div className="tile-head">
            <span className="tile-title">{title}</span>
            {age !== undefined && (
              <span className="tile-age" data-testid="tile-age">
                数据 {age}
              </span>
            )}
          </div>
          <div className="tile-body">{children}</div>
        </div>
      </BorderBox13>
    </div>
  );
}
