/**
 * Which nodes a graph model computes and in which order: tfjs's own rule
 * for outputs (the signature's, else every node nothing consumes), then a
 * depth-first topological order of what those outputs need.
 */
import type { TfjsGraphModelJson, TfNode } from './model-json.js';
import { signatureOf } from './model-json.js';

/** A graph output: the TF tensor (`node:k`) and the name the ONNX output gets. */
export interface GraphOutputRef {
  readonly tensor: string;
  readonly name: string;
}

/** `name`, `name:k` or `^name` -> the producing node's name. */
export function nodeNameOf(ref: string): string {
  const bare = ref.startsWith('^') ? ref.slice(1) : ref;
  const colon = bare.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(bare.slice(colon + 1)) ? bare.slice(0, colon) : bare;
}

/** Outputs in the order tfjs's `model.execute()` returns them. */
export function graphOutputs(json: TfjsGraphModelJson): GraphOutputRef[] {
  const nodes = json.modelTopology.node;
  const byName = new Set(nodes.map((n) => n.name));
  const entries = Object.entries(signatureOf(json)?.outputs ?? {});
  const fromSignature = entries
    .filter(([, entry]) => byName.has(nodeNameOf(entry.name)))
    .map(([key, entry]) => ({ tensor: entry.name, name: key }));
  if (fromSignature.length > 0) return fromSignature;
  const consumed = new Set(nodes.flatMap((n) => (n.input ?? []).map(nodeNameOf)));
  return nodes.filter((n) => !consumed.has(n.name) && n.op !== 'Const').map((n) => ({ tensor: n.name, name: n.name }));
}

/** The nodes needed for `outputs`, each after its inputs (iterative, so deep graphs do not overflow). */
export function executionOrder(nodes: readonly TfNode[], outputs: readonly GraphOutputRef[], source: string): TfNode[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: TfNode[] = [];
  for (const output of outputs) {
    const stack: { node: TfNode; next: number }[] = [];
    const push = (name: string) => {
      const node = byName.get(name);
      if (!node) throw new Error(`Node "${name}" is referenced but not defined in ${source}`);
      if (state.get(name) === 'visiting') throw new Error(`Node "${name}" is part of a cycle in ${source}`);
      if (state.get(name) === 'done') return;
      state.set(name, 'visiting');
      stack.push({ node, next: 0 });
    };
    push(nodeNameOf(output.tensor));
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const inputs = top.node.input ?? [];
      if (top.next < inputs.length) {
        push(nodeNameOf(inputs[top.next++]!));
      } else {
        stack.pop();
        state.set(top.node.name, 'done');
        order.push(top.node);
      }
    }
  }
  return order;
}
