/**
 * A GraphBuilder that never hands out the names reserved for graph inputs
 * and outputs. TF names a node and its output alike ("age_pred/Softmax"),
 * so without this an internal tensor could take an output's exact name first.
 */
import { GraphBuilder } from '../onnx/graph-builder.js';

export class ReservingGraphBuilder extends GraphBuilder {
  constructor(
    graphName: string,
    private readonly reserved: ReadonlySet<string>,
  ) {
    super(graphName);
  }

  override uniqueName(hint: string): string {
    return super.uniqueName(this.reserved.has(hint) ? `${hint}/value` : hint);
  }
}
