import type ExcelJS from 'exceljs';

/**
 * exceljs is the heaviest package the server loads (~0.25 s of a ~1 s module load, bench/footprint.ts) and only
 * spreadsheet imports and exports use it: it is loaded on their first use, so a start does not pay for it
 * (cold start, docs/adr/0004).
 */
export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: Excel } = await import('exceljs');
  return new Excel.Workbook();
}
