/**
 * Reads the model out of a pickled xgboost `Booster` without running any of the pickle: SageMaker's XGBoost
 * containers 0.90-1 to 1.2-2 save `pickle.dump(booster)` as `xgboost-model`, and unpickling a file runs
 * whatever it names. Here the opcodes are interpreted over plain data: a class or function the pickle names
 * becomes a name, a call becomes a record of the call, and only these names are understood, as data:
 *
 * - `xgboost.core.Booster`, built by `NEWOBJ` (protocol 2+) or `copyreg._reconstructor` (0-1), its
 *   `__dict__` set by `BUILD`. `Booster.__getstate__` replaced the C handle by the model's bytes:
 *   a `bytearray` holding the legacy binary (before xgboost 1.0), `CONFIG-offset:` + legacy binary + JSON
 *   config (1.0 to 1.2), or a `{"Config", "Model"}` snapshot in JSON (1.3 to 1.5) or UBJSON (1.6 on).
 * - `builtins.bytearray` / `builtins.bytes` / `_codecs.encode` over bytes or a latin-1 string: how
 *   protocols 2 to 4 spell a `bytearray` (protocol 5 has `BYTEARRAY8`).
 *
 * Anything else at the top (an `XGBClassifier`, a dict, another class) is refused, naming what it is.
 */
import { ByteReader } from './byte-reader.ts';
import { ModelFormatProblem } from './errors.ts';

/** A class or function the pickle names (`GLOBAL` / `STACK_GLOBAL`); never imported. */
class PyGlobal {
  readonly module: string;
  readonly qualname: string;
  constructor(module: string, qualname: string) {
    this.module = module;
    this.qualname = qualname;
  }
  get dotted(): string {
    return `${this.module}.${this.qualname}`;
  }
}

/** `bytes` or `bytearray`. */
class PyBytes {
  readonly data: Uint8Array;
  readonly mutable: boolean;
  constructor(data: Uint8Array, mutable: boolean) {
    this.data = data;
    this.mutable = mutable;
  }
}

class PyTuple {
  readonly items: readonly PyValue[];
  constructor(items: readonly PyValue[]) {
    this.items = items;
  }
}

class PyList {
  readonly items: PyValue[] = [];
}

class PyDict {
  readonly entries: [PyValue, PyValue][] = [];
  /** The value of a `str` key. */
  get(key: string): PyValue | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const [k, v] = this.entries[i] as [PyValue, PyValue];
      if (k === key) return v;
    }
    return undefined;
  }
}

class PySet {
  readonly items: PyValue[] = [];
}

/** An instance of a class the pickle names, with the state `BUILD` gave it. */
class PyInstance {
  readonly cls: PyGlobal;
  state: PyValue = null;
  constructor(cls: PyGlobal) {
    this.cls = cls;
  }
}

/** A call the pickle asks for, recorded and never made. */
class PyCall {
  readonly callable: PyValue;
  readonly args: PyValue;
  constructor(callable: PyValue, args: PyValue) {
    this.callable = callable;
    this.args = args;
  }
}

type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PyGlobal
  | PyBytes
  | PyTuple
  | PyList
  | PyDict
  | PySet
  | PyInstance
  | PyCall;

const MARK = Symbol('mark');
type StackItem = PyValue | typeof MARK;

/** The Booster a pickle holds. */
export interface PickledBooster {
  /** The model bytes (`handle`), in one of the forms described above. */
  readonly handle: Uint8Array;
  /** `best_ntree_limit` from the Booster's `__dict__`, which SageMaker's container predicts with. */
  readonly bestNtreeLimit: number | undefined;
  /** The pickle protocol (the `PROTO` opcode; 0 or 1 without it). */
  readonly protocol: number;
}

/**
 * The Booster in a pickle.
 * @param source What holds the bytes, for messages.
 * @throws {ModelFormatProblem} when the pickle is truncated or malformed, uses an opcode this reader does not
 *   interpret, or holds anything but an `xgboost.core.Booster` with a model.
 */
export function readBoosterPickle(bytes: Uint8Array, source = 'the file'): PickledBooster {
  const { value, protocol } = runPickle(bytes, source);
  if (!(value instanceof PyInstance) || value.cls.dotted !== 'xgboost.core.Booster') {
    const hint =
      value instanceof PyInstance && value.cls.module.startsWith('xgboost.')
        ? ' (save its booster instead: model.get_booster().save_model("xgboost-model"))'
        : '';
    throw new ModelFormatProblem(`the pickle holds ${describe(value)}, not an xgboost.core.Booster${hint}`);
  }
  const state = value.state instanceof PyTuple ? value.state.items[0] : value.state;
  if (!(state instanceof PyDict)) {
    throw new ModelFormatProblem(`the pickled Booster's state is ${describe(state ?? null)}, not its __dict__`);
  }
  const handle = state.get('handle');
  if (handle === null || handle === undefined) {
    throw new ModelFormatProblem('the pickled Booster holds no model (its handle is None or missing)');
  }
  if (!(handle instanceof PyBytes)) {
    throw new ModelFormatProblem(`the pickled Booster's handle is ${describe(handle)}, not the model's bytes`);
  }
  const limit = state.get('best_ntree_limit');
  const bestNtreeLimit = typeof limit === 'number' && Number.isSafeInteger(limit) ? limit : undefined;
  return { handle: handle.data, bestNtreeLimit, protocol };
}

/** A short description of a value for messages: `an xgboost.sklearn.XGBClassifier`, `a dict (keys: a, b)`. */
function describe(value: PyValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return `the bool ${value ? 'True' : 'False'}`;
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${value}`;
  if (typeof value === 'string') return 'a str';
  if (value instanceof PyInstance) return `${article(value.cls.dotted)} ${value.cls.dotted}`;
  if (value instanceof PyCall) {
    const callable = value.callable instanceof PyGlobal ? value.callable.dotted : 'a callable';
    return `the result of calling ${callable}`;
  }
  if (value instanceof PyGlobal) return `the class or function ${value.dotted} itself`;
  if (value instanceof PyBytes) return value.mutable ? 'a bytearray' : 'a bytes object';
  if (value instanceof PyTuple) return 'a tuple';
  if (value instanceof PyList) return 'a list';
  if (value instanceof PySet) return 'a set';
  const keys = value.entries
    .map(([k]) => k)
    .filter((k): k is string => typeof k === 'string')
    .slice(0, 5);
  return `a dict${keys.length > 0 ? ` (keys: ${keys.join(', ')})` : ''}`;
}

// "an xgboost...": x is read "ex".
const article = (word: string): string => (/^[aeioux]/i.test(word) ? 'an' : 'a');

const utf8 = new TextDecoder('utf-8');

/** The value a pickle builds, interpreted without executing anything. */
function runPickle(bytes: Uint8Array, source: string): { value: PyValue; protocol: number } {
  const reader = new ByteReader(bytes, 'pickle', source);
  const stack: StackItem[] = [];
  const memo = new Map<number, PyValue>();
  let protocol = 0;

  const pop = (at: number): PyValue => {
    const item = stack.pop();
    if (item === undefined || item === MARK) throw reader.problem('an opcode found too few values on the stack', at);
    return item;
  };
  const popToMark = (at: number): PyValue[] => {
    const index = stack.lastIndexOf(MARK);
    if (index < 0) throw reader.problem('an opcode expected a MARK on the stack', at);
    const items = stack.splice(index) as PyValue[];
    items.shift(); // the mark
    return items;
  };
  const top = (at: number): PyValue => {
    const item = stack[stack.length - 1];
    if (item === undefined || item === MARK) throw reader.problem('an opcode found no value on the stack', at);
    return item;
  };
  const line = (item: string): string => {
    const end = bytes.indexOf(0x0a, reader.offset);
    if (end < 0) reader.need(bytes.length - reader.offset + 1, item);
    const text = utf8.decode(bytes.subarray(reader.offset, end));
    reader.offset = end + 1;
    return text;
  };
  const text = (length: number, item: string): string => utf8.decode(reader.take(length, item));

  for (;;) {
    const at = reader.offset;
    const opcode = reader.u8('the next opcode (the pickle ends without STOP)');
    switch (opcode) {
      case 0x80: // PROTO
        protocol = reader.u8('the protocol number');
        if (protocol > 5) throw reader.problem(`pickle protocol ${protocol} is newer than 5`, at);
        break;
      case 0x95: // FRAME: framing only
        reader.u64('the frame length', true);
        break;
      case 0x2e: // STOP
        return { value: pop(at), protocol };
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x30: // POP
        stack.pop();
        break;
      case 0x31: // DUP
        stack.push(top(at));
        break;
      case 0x32: // POP_MARK
        popToMark(at);
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(reader.i32('a BININT', true));
        break;
      case 0x4b: // BININT1
        stack.push(reader.u8('a BININT1'));
        break;
      case 0x4d: // BININT2
        stack.push(reader.u16('a BININT2', true));
        break;
      case 0x8a: // LONG1
        stack.push(littleEndianInteger(reader.take(reader.u8('a LONG1 length'), 'a LONG1')));
        break;
      case 0x8b: {
        // LONG4
        const length = reader.i32('a LONG4 length', true);
        if (length < 0) throw reader.problem('a negative LONG4 length', at);
        stack.push(littleEndianInteger(reader.take(length, 'a LONG4')));
        break;
      }
      case 0x47: // BINFLOAT
        stack.push(reader.f64('a BINFLOAT', false));
        break;
      case 0x58: // BINUNICODE
        stack.push(text(reader.u32('a BINUNICODE length', true), 'a BINUNICODE string'));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(reader.u8('a SHORT_BINUNICODE length'), 'a SHORT_BINUNICODE string'));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(reader.u64('a BINUNICODE8 length', true), 'a BINUNICODE8 string'));
        break;
      case 0x42: // BINBYTES
        stack.push(new PyBytes(reader.take(reader.u32('a BINBYTES length', true), 'BINBYTES'), false));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(new PyBytes(reader.take(reader.u8('a SHORT_BINBYTES length'), 'SHORT_BINBYTES'), false));
        break;
      case 0x8e: // BINBYTES8
        stack.push(new PyBytes(reader.take(reader.u64('a BINBYTES8 length', true), 'BINBYTES8'), false));
        break;
      case 0x96: // BYTEARRAY8
        stack.push(new PyBytes(reader.take(reader.u64('a BYTEARRAY8 length', true), 'BYTEARRAY8'), true));
        break;
      case 0x54: // BINSTRING (a Python 2 str: bytes)
        stack.push(new PyBytes(reader.take(reader.u32('a BINSTRING length', true), 'BINSTRING'), false));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(new PyBytes(reader.take(reader.u8('a SHORT_BINSTRING length'), 'SHORT_BINSTRING'), false));
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(new PyTuple([]));
        break;
      case 0x85: // TUPLE1
        stack.push(new PyTuple([pop(at)]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop(at);
        stack.push(new PyTuple([pop(at), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop(at);
        const b = pop(at);
        stack.push(new PyTuple([pop(at), b, c]));
        break;
      }
      case 0x74: // TUPLE
        stack.push(new PyTuple(popToMark(at)));
        break;
      case 0x5d: // EMPTY_LIST
        stack.push(new PyList());
        break;
      case 0x6c: {
        // LIST
        const list = new PyList();
        pushAll(list.items, popToMark(at));
        stack.push(list);
        break;
      }
      case 0x61: {
        // APPEND
        const item = pop(at);
        const list = top(at);
        if (!(list instanceof PyList)) throw reader.problem('APPEND to something that is not a list', at);
        list.items.push(item);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popToMark(at);
        const list = top(at);
        if (!(list instanceof PyList)) throw reader.problem('APPENDS to something that is not a list', at);
        pushAll(list.items, items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new PyDict());
        break;
      case 0x64: {
        // DICT
        const items = popToMark(at);
        const dict = new PyDict();
        for (let i = 0; i + 1 < items.length; i += 2) dict.entries.push([items[i] as PyValue, items[i + 1] as PyValue]);
        stack.push(dict);
        break;
      }
      case 0x73: {
        // SETITEM
        const value = pop(at);
        const key = pop(at);
        const dict = top(at);
        if (!(dict instanceof PyDict)) throw reader.problem('SETITEM on something that is not a dict', at);
        dict.entries.push([key, value]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popToMark(at);
        const dict = top(at);
        if (!(dict instanceof PyDict)) throw reader.problem('SETITEMS on something that is not a dict', at);
        for (let i = 0; i + 1 < items.length; i += 2) dict.entries.push([items[i] as PyValue, items[i + 1] as PyValue]);
        break;
      }
      case 0x8f: // EMPTY_SET
        stack.push(new PySet());
        break;
      case 0x90: {
        // ADDITEMS
        const items = popToMark(at);
        const set = top(at);
        if (!(set instanceof PySet)) throw reader.problem('ADDITEMS on something that is not a set', at);
        pushAll(set.items, items);
        break;
      }
      case 0x91: {
        // FROZENSET
        const set = new PySet();
        pushAll(set.items, popToMark(at));
        stack.push(set);
        break;
      }
      case 0x63: {
        // GLOBAL: "module\nname\n"
        const module = line('a GLOBAL module name');
        stack.push(new PyGlobal(module, line('a GLOBAL name')));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop(at);
        const module = pop(at);
        if (typeof module !== 'string' || typeof name !== 'string') {
          throw reader.problem('STACK_GLOBAL without a module and a name', at);
        }
        stack.push(new PyGlobal(module, name));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop(at);
        stack.push(reduce(pop(at), args, reader, at));
        break;
      }
      case 0x81: {
        // NEWOBJ
        pop(at); // cls.__new__(cls, *args): the arguments do not matter for a Booster
        stack.push(instanceOf(pop(at), reader, at));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX
        pop(at);
        pop(at);
        stack.push(instanceOf(pop(at), reader, at));
        break;
      }
      case 0x6f: {
        // OBJ: MARK cls args... OBJ
        const items = popToMark(at);
        stack.push(instanceOf(items[0] ?? null, reader, at));
        break;
      }
      case 0x69: {
        // INST: MARK args... INST "module\nname\n"
        popToMark(at);
        const module = line('an INST module name');
        stack.push(new PyInstance(new PyGlobal(module, line('an INST name'))));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop(at);
        const object = top(at);
        // A BUILD on a call's result (a reduced object) is dropped: only a Booster's state is read.
        if (object instanceof PyInstance) object.state = state;
        break;
      }
      case 0x71: // BINPUT
        memo.set(reader.u8('a BINPUT index'), top(at));
        break;
      case 0x72: // LONG_BINPUT
        memo.set(reader.u32('a LONG_BINPUT index', true), top(at));
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top(at));
        break;
      case 0x70: // PUT (text)
        memo.set(textIndex(line('a PUT index'), 'PUT', reader, at), top(at));
        break;
      case 0x68: // BINGET
        stack.push(memoGet(memo, reader.u8('a BINGET index'), reader, at));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(memoGet(memo, reader.u32('a LONG_BINGET index', true), reader, at));
        break;
      case 0x67: // GET (text)
        stack.push(memoGet(memo, textIndex(line('a GET index'), 'GET', reader, at), reader, at));
        break;
      case 0x50: // PERSID
      case 0x51: // BINPERSID
        throw reader.problem('the pickle refers to persistent objects outside it (PERSID)', at);
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        throw reader.problem('the pickle uses the copyreg extension registry (EXT), which no Booster pickle does', at);
      case 0x97: // NEXT_BUFFER
      case 0x98: // READONLY_BUFFER
        throw reader.problem('the pickle needs out-of-band buffers (protocol 5 NEXT_BUFFER)', at);
      default:
        throw reader.problem(
          `opcode ${JSON.stringify(String.fromCharCode(opcode))} (0x${opcode.toString(16)}) is not read here: ` +
            'only protocol 2 to 5 pickles are; pickle the Booster with protocol 2 or later',
          at,
        );
    }
  }
}

/** The decimal memo index of a text PUT or GET. */
function textIndex(text: string, opcode: string, reader: ByteReader, at: number): number {
  if (!/^\d{1,15}$/.test(text))
    throw reader.problem(`a ${opcode} whose index ${JSON.stringify(text.slice(0, 20))} is not a number`, at);
  return Number(text);
}

function memoGet(memo: Map<number, PyValue>, index: number, reader: ByteReader, at: number): PyValue {
  const value = memo.get(index);
  if (value === undefined) throw reader.problem(`memo entry ${index} is read before it is written`, at);
  return value;
}

function instanceOf(cls: PyValue, reader: ByteReader, at: number): PyInstance {
  if (!(cls instanceof PyGlobal)) throw reader.problem('an object is built from something that is not a class', at);
  return new PyInstance(cls);
}

/** `callable(*args)`, for the few callables understood as data; any other call is recorded, not made. */
function reduce(callable: PyValue, args: PyValue, reader: ByteReader, at: number): PyValue {
  const items = args instanceof PyTuple ? args.items : undefined;
  if (!(callable instanceof PyGlobal) || items === undefined) return new PyCall(callable, args);
  const name = callable.dotted;
  if (name === 'builtins.bytearray' || name === '__builtin__.bytearray') {
    return new PyBytes(bytesOf(items, name, reader, at), true);
  }
  if (name === 'builtins.bytes' || name === '__builtin__.bytes' || name === '_codecs.encode') {
    return new PyBytes(bytesOf(items, name, reader, at), false);
  }
  if ((name === 'copyreg._reconstructor' || name === 'copy_reg._reconstructor') && items[0] instanceof PyGlobal) {
    return new PyInstance(items[0]);
  }
  return new PyCall(callable, args);
}

/** The bytes `bytearray(x)`, `bytes(x)` or `_codecs.encode(x, encoding)` make of their arguments. */
function bytesOf(items: readonly PyValue[], name: string, reader: ByteReader, at: number): Uint8Array {
  const [first, encoding] = items;
  if (items.length === 0) return new Uint8Array(0);
  if (first instanceof PyBytes) return first.data;
  if (typeof first === 'string') {
    const codec = typeof encoding === 'string' ? encoding.toLowerCase().replace(/[-_]/g, '') : 'utf8';
    if (codec === 'latin1' || codec === 'iso88591') {
      const data = new Uint8Array(first.length);
      for (let i = 0; i < first.length; i++) {
        const code = first.charCodeAt(i);
        if (code > 0xff) throw reader.problem(`${name} of a str that is not latin-1`, at);
        data[i] = code;
      }
      return data;
    }
    if (codec === 'utf8') return new TextEncoder().encode(first);
  }
  throw reader.problem(`${name} with arguments this reader does not build`, at);
}

/** A little-endian two's-complement integer (LONG1/LONG4), as a number when exact. */
function littleEndianInteger(data: Uint8Array): number | bigint {
  if (data.length === 0) return 0;
  // Through hex, in time linear in the length: a LONG4 can be as long as the file.
  let hex = '';
  for (let i = data.length - 1; i >= 0; i--) hex += (data[i] as number).toString(16).padStart(2, '0');
  let value = BigInt(`0x${hex}`);
  if (((data[data.length - 1] as number) & 0x80) !== 0) value -= 1n << BigInt(8 * data.length);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** `target.push(...items)` without spreading: a MARK can hold more items than a call takes arguments. */
function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
