/**
 * The privacy notice (GDPR art. 13) and the accessibility statement (Legge 4/2004, AgID guidelines,
 * WCAG 2.1 AA / EN 301 549), in Italian and English. Plain text, not vue-i18n messages: these texts
 * hold characters the message compiler reads as syntax (@, {, |). What data goes where is kept in step
 * with docs/privacy-record.md and the entity registry's projections (docs/security.md).
 */
import type { Locale } from '../../i18n/format.ts'

export interface LegalSection {
  title: string
  paragraphs: string[]
}
export interface LegalPage {
  title: string
  /** Words before the date the text was last changed (shown in the reader's language). */
  updated: string
  sections: LegalSection[]
}

/** When these texts last changed (noon UTC: the same day in Rome). */
export const LEGAL_UPDATED = '2026-11-24T12:00:00Z'

const privacyIt: LegalPage = {
  title: 'Informativa sulla privacy',
  updated: 'Aggiornata il',
  sections: [
    { title: 'Chi tratta i tuoi dati', paragraphs: [
      'Titolare del trattamento è l’ente che gestisce il programma di conciliazione a cui partecipi (per il programma dimostrativo «Conciliare le responsabilità»: ATS Val Padana). I suoi contatti e quelli del Responsabile della protezione dei dati (DPO) sono pubblicati sul sito dell’ente.',
      'Le cooperative e gli enti che erogano i servizi ricevono solo i dati delle prenotazioni fatte presso di loro; il fornitore che ospita l’app tratta i dati per conto del titolare (responsabile del trattamento).',
    ] },
    { title: 'Quali dati', paragraphs: [
      'Della famiglia: il nome con cui l’ufficio ti ha registrato e i codici di attivazione dei tuoi dispositivi (conservati solo in forma cifrata con hash).',
      'Dei figli: nome, data di nascita, il voucher assegnato e come viene usato.',
      'Delle prenotazioni: servizio, date, quantità, importi, stato; le note che scrivi per il fornitore e i messaggi scambiati con lui. Note e messaggi possono rivelare dati sulla salute (per esempio disabilità, DSA, ADHD, farmaci): scrivi solo ciò che serve al servizio.',
    ] },
    { title: 'Perché e su quale base', paragraphs: [
      'Per gestire il programma: assegnare i voucher, prenotare e svolgere i servizi, rimborsare i fornitori e rendicontare il programma all’ente che lo finanzia. Il trattamento è necessario per un compito di interesse pubblico affidato all’ente (art. 6, par. 1, lett. e, GDPR); i dati sulla salute sono trattati per motivi di interesse pubblico rilevante previsti dalla normativa che istituisce il programma (art. 9, par. 2, lett. g, GDPR).',
      'Non usiamo i tuoi dati per pubblicità, né per decisioni automatizzate o profilazione.',
    ] },
    { title: 'Chi vede cosa', paragraphs: [
      'Il fornitore di un servizio vede, per le prenotazioni fatte presso di lui: il nome della bambina o del bambino e quello della famiglia, l’età, l’indirizzo per i servizi a casa, le date e le ore, le tue note e i messaggi di quella prenotazione. Non vede gli altri figli, il voucher, né le prenotazioni presso altri fornitori.',
      'L’ufficio del programma vede prenotazioni e importi per i rimborsi e il monitoraggio, ma non le note né i messaggi.',
      'I dati non sono venduti né ceduti a terzi.',
    ] },
    { title: 'Per quanto tempo', paragraphs: [
      'Presso l’ente: per la durata del programma e poi per il tempo che la legge impone per i documenti contabili dei rimborsi (dieci anni); i registri di sicurezza non contengono dati personali.',
      'Sul tuo telefono: l’app tiene una copia dei tuoi dati per funzionare anche senza rete. Uscendo dall’app («Esci da questo dispositivo») la copia viene cancellata. L’accesso di un dispositivo scade da solo 45 giorni dopo l’ultimo uso.',
    ] },
    { title: 'I tuoi diritti', paragraphs: [
      'Puoi chiedere all’ente di accedere ai tuoi dati, correggerli, cancellarli o limitarne il trattamento, e opporti al trattamento, scrivendo ai contatti del titolare o del DPO.',
      'Se ritieni che il trattamento violi la normativa, puoi presentare reclamo al Garante per la protezione dei dati personali (www.garanteprivacy.it).',
    ] },
  ],
}

const privacyEn: LegalPage = {
  title: 'Privacy notice',
  updated: 'Updated on',
  sections: [
    { title: 'Who processes your data', paragraphs: [
      'The controller is the agency that runs the conciliation program you take part in (for the demo program "Conciliare le responsabilità": ATS Val Padana). Its contacts and those of its Data Protection Officer (DPO) are published on the agency’s website.',
      'The cooperatives and bodies that provide the services receive only the data of the bookings made with them; the company hosting the app processes data on the controller’s behalf (processor).',
    ] },
    { title: 'What data', paragraphs: [
      'About the family: the name the office registered you under and your devices’ activation codes (stored only as hashes).',
      'About the children: first name, date of birth, the voucher assigned and how it is used.',
      'About bookings: service, dates, quantity, amounts, status; the notes you write for the provider and the messages you exchange with it. Notes and messages may reveal health data (for example disability, DSA, ADHD, medicines): write only what the service needs.',
    ] },
    { title: 'Why, and on what basis', paragraphs: [
      'To run the program: assign vouchers, book and deliver services, reimburse providers and report on the program to the body that funds it. The processing is necessary for a task in the public interest entrusted to the agency (GDPR art. 6(1)(e)); health data is processed for reasons of substantial public interest set by the rules that establish the program (GDPR art. 9(2)(g)).',
      'Your data is not used for advertising, automated decisions or profiling.',
    ] },
    { title: 'Who sees what', paragraphs: [
      'A service’s provider sees, for the bookings made with it: the child’s first name and the family’s name, the child’s age, the address for services at home, the dates and hours, your notes and that booking’s messages. It does not see your other children, the voucher, or bookings with other providers.',
      'The program office sees bookings and amounts for reimbursement and monitoring, but not the notes or the messages.',
      'Your data is not sold or given to third parties.',
    ] },
    { title: 'For how long', paragraphs: [
      'With the agency: for the program’s duration, then for as long as the law requires for the reimbursements’ accounting records (ten years); security logs hold no personal data.',
      'On your phone: the app keeps a copy of your data so it works without signal. Signing out ("Sign out of this device") deletes the copy. A device’s access ends by itself 45 days after its last use.',
    ] },
    { title: 'Your rights', paragraphs: [
      'You can ask the agency to access, correct, erase or restrict your data, and object to its processing, by writing to the controller’s or the DPO’s contacts.',
      'If you believe the processing breaks the law, you can complain to the Italian data protection authority, the Garante per la protezione dei dati personali (www.garanteprivacy.it).',
    ] },
  ],
}

const accessibilityIt: LegalPage = {
  title: 'Dichiarazione di accessibilità',
  updated: 'Redatta il',
  sections: [
    { title: 'Impegno', paragraphs: [
      'L’ente che gestisce il programma si impegna a rendere Conciliapp accessibile, conformemente alla Legge 9 gennaio 2004, n. 4, e alle Linee guida AgID sull’accessibilità degli strumenti informatici, che rimandano alla norma EN 301 549 e alle WCAG 2.1 livello AA.',
    ] },
    { title: 'Stato di conformità', paragraphs: [
      'Conciliapp è parzialmente conforme: alcuni contenuti, elencati sotto, non lo sono ancora.',
      'Le schermate dei fornitori e dell’ufficio del programma non sono ancora verificate a 320 px di larghezza e con il testo al 200 % (quelle delle famiglie sì, a ogni modifica dell’app).',
      'Con il testo al 200 % su uno schermo molto stretto, le voci della barra in basso possono andare a capo a metà parola.',
      'Questi problemi sono in corso di correzione.',
    ] },
    { title: 'Come è stata redatta', paragraphs: [
      'Con un’autovalutazione: verifiche automatiche (axe-core) ad ogni modifica dell’app, navigazione da tastiera e con lettore di schermo, schermi da 360 px e testo al 200 %.',
    ] },
    { title: 'Segnalazioni e contatti', paragraphs: [
      'Se incontri un ostacolo o ti serve un contenuto in un formato accessibile, scrivi all’ufficio del programma dell’ente (i contatti sono sul sito dell’ente): ti risponderà entro 30 giorni.',
      'Se la risposta non arriva o non è soddisfacente, puoi rivolgerti al Difensore civico per il digitale presso AgID (www.agid.gov.it).',
    ] },
  ],
}

const accessibilityEn: LegalPage = {
  title: 'Accessibility statement',
  updated: 'Written on',
  sections: [
    { title: 'Commitment', paragraphs: [
      'The agency that runs the program is committed to making Conciliapp accessible, in accordance with Italian Law no. 4 of 9 January 2004 and AgID’s accessibility guidelines, which refer to the EN 301 549 standard and WCAG 2.1 level AA.',
    ] },
    { title: 'Compliance status', paragraphs: [
      'Conciliapp is partially compliant: some content, listed below, is not compliant yet.',
      'The screens of providers and of the program office are not yet checked at 320 px wide and with 200 % text (the families’ screens are, on every change to the app).',
      'With 200 % text on a very narrow screen, the labels of the bottom bar may break in the middle of a word.',
      'These problems are being fixed.',
    ] },
    { title: 'How this statement was prepared', paragraphs: [
      'By self-assessment: automatic checks (axe-core) on every change to the app, keyboard and screen reader navigation, 360 px screens and 200 % text.',
    ] },
    { title: 'Feedback and contact', paragraphs: [
      'If you meet a barrier or need content in an accessible format, write to the agency’s program office (its contacts are on the agency’s website): it will answer within 30 days.',
      'If no answer comes or it does not satisfy you, you can turn to AgID’s Digital Ombudsman (Difensore civico per il digitale, www.agid.gov.it).',
    ] },
  ],
}

export const LEGAL: Record<'privacy' | 'accessibility', Record<Locale, LegalPage>> = {
  privacy: { it: privacyIt, en: privacyEn },
  accessibility: { it: accessibilityIt, en: accessibilityEn },
}
