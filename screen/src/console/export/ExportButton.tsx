import { useContext, useState, type JSX, type RefObject } from 'react';
import { saveBlob } from '../download.ts';
import { ExportContext } from './context.ts';
import { fileNameOf, tableToXlsx } from './table-xlsx.ts';

/** 导出 Excel: the first table inside `within`, as the page shows it, with the scope and term. */
export function ExportButton({ title, within }: { title: string; within: RefObject<HTMLElement | null> }): JSX.Element {
  const ctx = useContext(ExportContext);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const run = async () => {
    const table = within.current?.querySelector('table');
    if (!table) return;
    setBusy(true);
    setFailed(false);
    try {
      const meta = { title, context: [ctx.place, ctx.period].filter(Boolean) };
      saveBlob(await tableToXlsx(table, meta), fileNameOf(meta));
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="export"
      data-testid="console-export-xlsx"
      disabled={busy}
      title={failed ? '导出失败，请重试' : '按页面所示导出为 Excel 表格'}
      onClick={() => void run()}
    >
      {busy ? '导出中…' : failed ? '导出失败，重试' : '导出 Excel'}
    </button>
  );
}
