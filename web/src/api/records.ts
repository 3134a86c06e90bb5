/**
 * Performance records: import (CSV, with a dry run), batches and rollback, the student's own
 * records and their sharing choices. Every response is parsed with the shared schemas in
 * common/records.ts, the same ones the server's routes answer with.
 */
import {
  MyRecordsSchema,
  PairingRecordsSchema,
  RecordBatchListSchema,
  RecordImportResultSchema,
  RecordSharingSchema,
  RollbackResultSchema,
  type MyRecords,
  type PairingRecords,
  type RecordBatchList,
  type RecordCategory,
  type RecordImportResult,
  type RecordSharing,
  type RollbackResult,
} from '../../../common/records.ts';
import { parse, request, withQuery } from './client.ts';

/** Checks (dryRun) or imports a CSV file of records from `source`; a refused file throws with every problem in `details`. */
export async function importRecordCsv(
  text: string,
  options: { dryRun: boolean; source: string; fileName: string },
): Promise<RecordImportResult> {
  const path = withQuery('/api/records/import', { dryRun: String(options.dryRun), source: options.source });
  // The file name may carry a student's name: it goes in a header, never in the URL (proxies and history keep it).
  const headers = options.fileName ? { 'X-File-Name': encodeURIComponent(options.fileName) } : undefined;
  return parse(
    RecordImportResultSchema,
    await request(path, { method: 'POST', rawBody: { contentType: 'text/csv', text }, headers }),
    path,
  );
}

export async function fetchRecordBatches(signal?: AbortSignal): Promise<RecordBatchList> {
  const path = withQuery('/api/record-batches', { limit: 50 });
  return parse(RecordBatchListSchema, await request(path, { signal }), path);
}

export async function rollbackRecordBatch(batchId: string): Promise<RollbackResult> {
  const path = `/api/record-batches/${encodeURIComponent(batchId)}/rollback`;
  return parse(RollbackResultSchema, await request(path, { method: 'POST' }), path);
}

export async function fetchMyRecords(signal?: AbortSignal): Promise<MyRecords> {
  return parse(MyRecordsSchema, await request('/api/me/records', { signal }), '/api/me/records');
}

export async function fetchPairingRecords(pairingId: string, signal?: AbortSignal): Promise<PairingRecords> {
  const path = `/api/pairings/${encodeURIComponent(pairingId)}/records`;
  return parse(PairingRecordsSchema, await request(path, { signal }), path);
}

export async function fetchMySharing(signal?: AbortSignal): Promise<RecordSharing> {
  return parse(RecordSharingSchema, await request('/api/me/record-sharing', { signal }), '/api/me/record-sharing');
}

export interface SharingChange {
  category: RecordCategory;
  /** true shares, false withholds, null follows the program's default. */
  shared: boolean | null;
  /** The first day the choice holds; today when left out. */
  startsOn?: string;
  endsOn?: string;
}

export async function updateMySharing(choices: SharingChange[]): Promise<RecordSharing> {
  const path = '/api/me/record-sharing';
  return parse(RecordSharingSchema, await request(path, { method: 'PUT', body: { choices } }), path);
}
