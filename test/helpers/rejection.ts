/** The error `call` rejects with, to assert on its fields; fails the test when it resolves. */
export async function rejectionOf<T = Error>(call: Promise<unknown>): Promise<T> {
  try {
    await call;
  } catch (error) {
    return error as T;
  }
  throw new Error('expected the call to fail');
}
