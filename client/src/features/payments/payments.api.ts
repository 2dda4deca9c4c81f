/** What the program will pay (GET /api/provider/payments), parsed with shared/provider/payments.schema.ts. */
import { PaymentsAnswer } from '../../../../shared/provider/payments.schema.ts'
import type { FetchFn } from '../../sync/http.ts'
import { officeJson } from '../office/office.http.ts'

export const fetchPayments = (f: FetchFn, token: string): Promise<PaymentsAnswer> => officeJson(f, token, PaymentsAnswer, '/api/provider/payments')
