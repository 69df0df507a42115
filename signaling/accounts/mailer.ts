// Password-reset mail over SMTP (nodemailer), used only when SMTP_URL is set. Without
// it, an admin issues the token through the admin API and hands it over in person.
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';

export interface ResetMail {
  to: string;
  username: string;
  token: string;
  expiresAt: number;
}

export class Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    private readonly publicUrl?: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async sendPasswordReset(mail: ResetMail): Promise<void> {
    const minutes = Math.round((mail.expiresAt - Date.now()) / 60000);
    // The token goes in the fragment so it never reaches a server log via a Referer or URL.
    const link = this.publicUrl ? `${this.publicUrl}/reset#token=${mail.token}` : null;
    await this.transport.sendMail({
      from: this.from,
      to: mail.to,
      subject: 'Reset your password',
      text: [
        `Someone asked to reset the password of the account "${mail.username}".`,
        link ? `Open ${link} to choose a new one.` : `Your reset code: ${mail.token}`,
        `It works once, for ${minutes} minutes. If it was not you, ignore this mail.`,
      ].join('\n\n'),
    });
  }

  close(): void {
    this.transport.close();
  }
}
