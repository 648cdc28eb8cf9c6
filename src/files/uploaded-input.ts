/** An upload, already streamed to a temporary file. */
export interface UploadedInput {
  path: string;
  originalName: string;
  size: number;
}
