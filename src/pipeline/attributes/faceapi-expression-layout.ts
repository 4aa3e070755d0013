/**
 * What face-api's expression network takes and gives, in a module of its own so that the
 * attribute registry and the runner can name them without loading the converter (which pulls in
 * the ONNX graph builder: ~60 ms of the server's start-up).
 */

/** Side of the square face crop the model takes. */
export const EXPRESSION_INPUT_SIZE = 112;

/** The order of the network's outputs (face-api's FACE_EXPRESSION_LABELS). */
export const EXPRESSION_LABELS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'] as const;
export type ExpressionLabel = (typeof EXPRESSION_LABELS)[number];
