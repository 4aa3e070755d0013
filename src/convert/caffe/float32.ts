/** Float32 arithmetic (each step rounded to float32), to fold constants the way C++ `float` code computes them. */
export const float32Multiply = (a: number, b: number): number => Math.fround(Math.fround(a) * Math.fround(b));
export const float32Add = (a: number, b: number): number => Math.fround(Math.fround(a) + Math.fround(b));
