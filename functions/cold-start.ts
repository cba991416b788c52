/**
 * Settings every Lambda handler applies before its first event (imported first by each module in
 * functions/ that Lambda loads; bench/cold-starts.ts measures what they save).
 *
 * zod 4 compiles a parser with `new Function` the first time each object schema parses. That pays
 * off after thousands of parses in one process; a Lambda container parses one message per schema
 * and then a few per second, and the compilation lands in the cold start (~10 ms over the schemas
 * a first event touches). Without it a parse walks the schema: microseconds slower, warm or cold.
 */
import * as z from 'zod';

z.config({ jitless: true });
