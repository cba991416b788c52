/**
 * The notification side: the notifications queue (worker → email function) with its
 * dead-letter queue, and the SES identity the email function may send as.
 */
import { CfnOutput } from 'aws-cdk-lib';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { QUEUES } from '#shared/definitions.ts';
import type { SesSettings } from '../app-config.ts';
import type { StageSettings } from '../stages.ts';
import { DurableQueue } from './durable-queue.ts';
import type { EmailSender } from './silkroute-function.ts';

export interface NotificationsProps {
  readonly stage: StageSettings;
  readonly ses: SesSettings;
}

export class Notifications extends Construct {
  readonly notifications: DurableQueue;
  readonly identity: EmailIdentity;
  readonly sender: EmailSender;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    this.notifications = new DurableQueue(this, 'Notifications', {
      name: 'notifications',
      definition: QUEUES.notifications,
    });
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: props.ses.kind === 'email' ? Identity.email(props.ses.identity) : Identity.domain(props.ses.identity),
    });
    // Re-verifying a domain means new DKIM records in someone else's DNS: keep it in prod.
    this.identity.applyRemovalPolicy(props.stage.removalPolicy);
    this.sender = { identity: this.identity, from: props.ses.from };

    if (props.ses.kind === 'domain') {
      // No hosted zone is assumed: whoever runs DNS adds these three CNAMEs to verify the domain.
      this.identity.dkimRecords.forEach((record, i) => {
        const output = new CfnOutput(this, `DkimRecord${i + 1}`, {
          description: `SES DKIM CNAME ${i + 1} for ${props.ses.identity}`,
          value: `${record.name} CNAME ${record.value}`,
        });
        // Operators look these up by name (docs/operations.md), not by a hashed logical id.
        output.overrideLogicalId(`DkimRecord${i + 1}`);
      });
    }
  }
}
