/**
 * A self-signed certificate for 127.0.0.1 (valid until 2126), for the test's local Web Push endpoint:
 * the `web-push` library only speaks https. Test material only; it protects nothing.
 * Made with: openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500
 *   -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1"
 */
export const TEST_ENDPOINT_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQglJ973twzEXrEi8b6
u8k3GPAz+3BbVSmlx50jOml6R3ahRANCAASCpcjFw7HnAq/YrJp3gXCcAGnf3ebl
j6EBqp50ebU2kXgrFcipwYyjDo/hRyp62v/UIG+czkkzduB7pfkfeSHz
-----END PRIVATE KEY-----
`
export const TEST_ENDPOINT_CERT = `-----BEGIN CERTIFICATE-----
MIIBjzCCATagAwIBAgIUKxE1Lqshse0aqJm8YZhm8yI8W8cwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNDE0MjAxOFoYDzIxMjYxMDMx
MTQyMDE4WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASCpcjFw7HnAq/YrJp3gXCcAGnf3eblj6EBqp50ebU2kXgrFcipwYyj
Do/hRyp62v/UIG+czkkzduB7pfkfeSHzo2QwYjAdBgNVHQ4EFgQUAcyy7zOxNJD6
ZVn4hwhEXL0LZH0wHwYDVR0jBBgwFoAUAcyy7zOxNJD6ZVn4hwhEXL0LZH0wDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0cAMEQC
IE0/1BfXzTaCPHnhLapX+G2FRo+fgehPX/Wn7N8SIffUAiAqmvsf1hwXJTDUsPXb
ZS0zRSlOI01tU8abJ+vLarRfnw==
-----END CERTIFICATE-----
`
