/**
 * The app's inputs: stage, SES identity and alarm email from CDK context (cdk.json or `-c`),
 * account and region from the CLI's CDK_DEFAULT_* variables. Pure, so it is tested without a
 * synth; every problem is reported at once, before any construct is built.
 */
import { z } from 'zod';
import { ValidationError, type Issue } from '#shared/errors.ts';
import { STAGES, STAGE_NAMES, isStageName, type StageSettings } from './stages.ts';

export interface SesSettings {
  /** The verified identity: an email address or a domain. */
  readonly identity: string;
  readonly kind: 'email' | 'domain';
  /** The From address the email function uses (EMAIL_FROM); covered by `identity`. */
  readonly from: string;
}

export interface AppConfig {
  readonly stage: StageSettings;
  /** Undefined account/region make an environment-agnostic stack: synth needs no credentials. */
  readonly env: { readonly account: string | undefined; readonly region: string | undefined };
  readonly ses: SesSettings;
  readonly alarmEmail: string | undefined;
}

/** Context keys the app reads (defaults in cdk.json). */
export const CONTEXT = {
  stage: 'stage',
  sesIdentity: 'sesIdentity',
  emailFrom: 'emailFrom',
  alarmEmail: 'alarmEmail',
} as const;

/** Domains reserved for documentation (RFC 2606): fine for dev, never for prod. */
const PLACEHOLDER = /(^|\.)(example|invalid|test|localhost)$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const Email = z.email();

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
}

/**
 * Reads and validates the app's configuration.
 * @example readAppConfig((k) => app.node.tryGetContext(k), process.env)
 */
export function readAppConfig(
  context: (key: string) => unknown,
  env: Readonly<Record<string, string | undefined>>,
): AppConfig {
  const issues: Issue[] = [];
  const where = 'context';

  const stageName = text(context(CONTEXT.stage)) ?? 'dev';
  if (!isStageName(stageName)) {
    issues.push({ file: where, path: CONTEXT.stage, message: `expected one of ${STAGE_NAMES.join(', ')}, got "${stageName}"` });
  }
  const stage = isStageName(stageName) ? STAGES[stageName] : STAGES.dev;

  const identity = text(context(CONTEXT.sesIdentity));
  const explicitFrom = text(context(CONTEXT.emailFrom));
  let ses: SesSettings = { identity: '', kind: 'email', from: '' };
  if (identity === undefined) {
    issues.push({ file: where, path: CONTEXT.sesIdentity, message: 'missing: an email address or a domain to send from' });
  } else if (identity.includes('@')) {
    if (!Email.safeParse(identity).success) {
      issues.push({ file: where, path: CONTEXT.sesIdentity, message: `"${identity}" is not an email address` });
    } else if (explicitFrom !== undefined && explicitFrom.toLowerCase() !== identity.toLowerCase()) {
      issues.push({ file: where, path: CONTEXT.emailFrom, message: `an email identity can only send as itself (${identity})` });
    }
    ses = { identity, kind: 'email', from: identity };
  } else {
    const from = explicitFrom ?? `routing@${identity}`;
    if (!DOMAIN.test(identity)) {
      issues.push({ file: where, path: CONTEXT.sesIdentity, message: `"${identity}" is neither an email address nor a domain` });
    } else if (!Email.safeParse(from).success || !from.toLowerCase().endsWith(`@${identity.toLowerCase()}`)) {
      issues.push({ file: where, path: CONTEXT.emailFrom, message: `"${from}" must be an address at ${identity}` });
    }
    ses = { identity, kind: 'domain', from };
  }
  const domain = ses.identity.slice(ses.identity.lastIndexOf('@') + 1);
  if (stage.name === 'prod' && identity !== undefined && PLACEHOLDER.test(domain)) {
    issues.push({ file: where, path: CONTEXT.sesIdentity, message: `prod needs a real sending identity, not the placeholder "${identity}"` });
  }

  const alarmEmail = text(context(CONTEXT.alarmEmail));
  if (alarmEmail !== undefined && !Email.safeParse(alarmEmail).success) {
    issues.push({ file: where, path: CONTEXT.alarmEmail, message: `"${alarmEmail}" is not an email address` });
  }

  if (issues.length > 0) throw new ValidationError(issues);
  return {
    stage,
    env: { account: text(env.CDK_DEFAULT_ACCOUNT), region: text(env.CDK_DEFAULT_REGION) },
    ses,
    alarmEmail,
  };
}
