/** An upload, already streamed to a temporary file. */
export interface UploadedInput {
  path: string;
  originalName: string;
  size: number;
  /** Set when the upload was hashed as it was spooled into the file store: storing it is then a link. */
  sha256?: string;
}
