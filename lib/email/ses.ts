/**
 * The SES v2 edge: one rendered email → one SendEmail call with simple content (subject, HTML
 * and text bodies, all UTF-8), answering SES's MessageId.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { RenderedEmail } from './render.ts';

/** Sends one rendered email; resolves to the SES MessageId. */
export type EmailSender = (email: RenderedEmail) => Promise<string>;

/**
 * A sender over an SES v2 client, from a verified identity.
 * @example const send = createSesSender({ ses: new SESv2Client({}), from: 'routing@silkroute.example' })
 */
export function createSesSender(options: { ses: SESv2Client; from: string; configurationSetName?: string }): EmailSender {
  return async (email) => {
    const result = await options.ses.send(
      new SendEmailCommand({
        FromEmailAddress: options.from,
        Destination: { ToAddresses: [email.to] },
        ...(options.configurationSetName !== undefined && { ConfigurationSetName: options.configurationSetName }),
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: email.html, Charset: 'UTF-8' },
              Text: { Data: email.text, Charset: 'UTF-8' },
            },
          },
        },
      }),
    );
    // SES always answers a MessageId for an accepted email; without one we cannot prove it went.
    if (result.MessageId === undefined) throw new Error('SES accepted the email but returned no MessageId');
    return result.MessageId;
  };
}
