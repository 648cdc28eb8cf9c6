/**
 * Node flags for the API process. A small young generation makes V8 scavenge often, which frees
 * the Buffers of streamed uploads and downloads promptly: with the default the API grew by about
 * 100 MB while storing a 200 MB file, with this by about half that (see test/e2e/real-processes).
 */
export const API_NODE_FLAGS = ['--max-semi-space-size=1'];
