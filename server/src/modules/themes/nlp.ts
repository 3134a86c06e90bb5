import winkNLP, { type ItsFunction, type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/**
 * The English model, loaded on first use and then kept: loading takes about a third of a second,
 * reading a narrative afterwards well under a millisecond. Sentence boundaries, negation and parts
 * of speech (which the lemmas need) are all this module asks of it; no remote model is involved.
 */
let instance: WinkMethods | undefined;

export function englishNlp(): WinkMethods {
  instance ??= winkNLP(model, ['sbd', 'negation', 'pos']);
  return instance;
}

/** One token of a text, with its character offsets into that text. */
export interface WordToken {
  start: number;
  end: number;
  /** Lower-cased form. */
  normal: string;
  lemma: string;
  /** 'word', 'punctuation', 'number', 'tabCRLF', … as wink-nlp types them. */
  type: string;
  /** wink-nlp's own negation flag (true inside the scope of a "not", "never", …). */
  negationFlag: boolean;
}

export interface ReadText {
  tokens: WordToken[];
  /** Token index ranges of the sentences, inclusive. */
  sentences: [number, number][];
}

/**
 * Tokens of `text` with exact character offsets. wink-nlp keeps every character of a token and
 * the white space before it, so summing them walks the text; if the two ever disagree (an input
 * the tokenizer rewrites) the token is found by searching forward instead, so offsets stay exact.
 */
export function readText(text: string): ReadText {
  const nlp = englishNlp();
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const all = doc.tokens();
  const values = all.out(its.value) as string[];
  const normals = all.out(its.normal) as string[];
  // The type declarations give `its.lemma` its addon parameter, which `out` supplies itself.
  const lemmas = all.out(its.lemma as unknown as ItsFunction<string>) as string[];
  const types = all.out(its.type) as string[];
  const spaces = all.out(its.precedingSpaces) as string[];
  const negations = all.out(its.negationFlag) as unknown as boolean[];
  const tokens: WordToken[] = [];
  let offset = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    let start = offset + spaces[i]!.length;
    if (text.slice(start, start + value.length) !== value) {
      const found = text.indexOf(value, offset);
      start = found >= 0 ? found : start;
    }
    const end = Math.min(start + value.length, text.length);
    offset = end;
    tokens.push({
      start,
      end,
      normal: normals[i]!,
      lemma: lemmas[i]!,
      type: types[i]!,
      negationFlag: negations[i] === true,
    });
  }
  const sentences = doc.sentences().out(its.span) as unknown as [number, number][];
  return { tokens, sentences };
}
