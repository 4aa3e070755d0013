/**
 * A queue of one: each stage starts when the one before has settled.
 * An analysis worker decodes photos side by side but runs their networks
 * one at a time, because runners reuse their input buffers and
 * onnxruntime-node starts a run on a later tick, when another photo's
 * stage could refill them.
 *
 * @example
 *   const inTurn = oneAtATime();
 *   const [a, b] = await Promise.all([inTurn(() => analyse(photoA)), inTurn(() => analyse(photoB))]);
 */
export function oneAtATime(): <T>(stage: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(stage: () => Promise<T>): Promise<T> => {
    const turn = last.then(stage, stage);
    last = turn.catch(() => {});
    return turn;
  };
}
