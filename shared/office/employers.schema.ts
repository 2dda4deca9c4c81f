/**
 * Employers funding a program's vouchers (issue 11, the Rho "+ t x t" plan): each employer's budget
 * is turned into vouchers for its employees' children (the program's voucher amount per child aged
 * 0–16, covering the program's share of each price). Office commands (docs/office-commands.md):
 *   GET  /api/office/employers                  → EmployersAnswer
 *   POST /api/office/employers                  {name, budgetCents} → 201 EmployerEntry
 *   POST /api/office/employers/:id/employees    {employees} | text/csv → ImportEmployeesAnswer;
 *        any bad row: `{imported: 0, errors}` (every bad row, nothing imported); over budget: 409
 */
import { z } from 'zod'
import { Cents, Id, IsoDate, Text } from '../ids.ts'

export const CreateEmployerRequest = z.object({ name: Text(200).pipe(z.string().trim().min(1)), budgetCents: Cents })
export type CreateEmployerRequest = z.infer<typeof CreateEmployerRequest>
export const EmployerParams = z.object({ id: Id })
/** PUT /employers/:id: a new budget (never below what its vouchers already took: 409 config-conflicts). */
export const UpdateEmployerRequest = z.strictObject({ budgetCents: Cents })
export type UpdateEmployerRequest = z.infer<typeof UpdateEmployerRequest>

export const EmployeeChild = z.object({
  firstName: Text(60).pipe(z.string().trim().min(1)),
  birthDate: IsoDate,
  disability: z.boolean().default(false),
  dsa: z.boolean().default(false),
})
export const EmployeeInput = z.object({
  /** The employer's own reference (payroll number): one employee once per employer. */
  externalRef: Text(64).pipe(z.string().trim().min(1)),
  /** The family's name as the letter and the app show it. */
  name: Text(120).pipe(z.string().trim().min(1)),
  children: z.array(EmployeeChild).min(1).max(10),
})
export type EmployeeInput = z.infer<typeof EmployeeInput>
export const ImportEmployeesRequest = z.object({ employees: z.array(z.unknown()).min(1).max(5000) })

export const ImportError = z.object({ row: z.number().int().positive(), code: z.string(), message: z.string() })
export type ImportError = z.infer<typeof ImportError>

export const ImportEmployeesAnswer = z.object({
  imported: z.number().int().nonnegative(),
  vouchers: z.number().int().nonnegative(),
  assignedCents: z.number().int().nonnegative(),
  errors: z.array(ImportError),
  /** Each imported employee's activation code (60 random bits), shown once for the letters. */
  codes: z.array(z.object({ externalRef: z.string(), name: z.string(), activationCode: z.string() })),
})
export type ImportEmployeesAnswer = z.infer<typeof ImportEmployeesAnswer>

export const EmployerEntry = z.object({
  id: z.string(),
  name: z.string(),
  budgetCents: z.number().int().nonnegative(),
  assignedCents: z.number().int().nonnegative(),
  employees: z.number().int().nonnegative(),
  vouchers: z.number().int().nonnegative(),
})
export type EmployerEntry = z.infer<typeof EmployerEntry>
export const EmployersAnswer = z.object({ voucherCents: z.number().int(), coveragePercent: z.number().int(), employers: z.array(EmployerEntry) })
export type EmployersAnswer = z.infer<typeof EmployersAnswer>
