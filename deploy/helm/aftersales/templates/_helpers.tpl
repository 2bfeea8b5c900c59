{{/* vim: set filetype=mustache: */}}

{{/* Chart name. */}}
{{- define "aftersales.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Fully qualified app name: <release>-<chart>, or the release name when it already contains the chart name. */}}
{{- define "aftersales.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "aftersales.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Common labels. */}}
{{- define "aftersales.labels" -}}
helm.sh/chart: {{ include "aftersales.chart" . }}
app.kubernetes.io/name: {{ include "aftersales.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: aftersales
aftersales.io/region: {{ .Values.global.region | quote }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "aftersales.selectorLabels" -}}
app.kubernetes.io/name: {{ include "aftersales.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/*
Per-service helpers take a dict: (dict "root" $ "name" "case" "svc" $svcValues)
*/}}
{{- define "aftersales.componentName" -}}
{{- printf "%s-%s" (include "aftersales.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "aftersales.componentLabels" -}}
{{ include "aftersales.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "aftersales.componentSelectorLabels" -}}
{{ include "aftersales.selectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "aftersales.commonAnnotations" -}}
{{- with .Values.commonAnnotations }}
{{- toYaml . }}
{{- end }}
{{- end -}}

{{/* REGION of a service. */}}
{{- define "aftersales.region" -}}
{{- default .root.Values.global.region .svc.region -}}
{{- end -}}

{{/* Image reference of a service: registry/repository:tag or @digest. */}}
{{- define "aftersales.image" -}}
{{- $img := .svc.image -}}
{{- $registry := default $img.registry .root.Values.global.imageRegistry -}}
{{- $ref := $img.repository -}}
{{- if $registry }}{{ $ref = printf "%s/%s" $registry $img.repository }}{{ end -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $ref $img.digest -}}
{{- else -}}
{{- printf "%s:%s" $ref (default .root.Chart.AppVersion $img.tag | toString) -}}
{{- end -}}
{{- end -}}

{{- define "aftersales.imagePullSecrets" -}}
{{- with .Values.global.imagePullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "aftersales.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "aftersales.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Secret and key holding DATABASE_URL for a service. */}}
{{- define "aftersales.databaseSecretName" -}}
{{- if .svc.database.existingSecret -}}
{{- .svc.database.existingSecret -}}
{{- else if .root.Values.database.existingSecret -}}
{{- .root.Values.database.existingSecret -}}
{{- else -}}
{{- printf "%s-database" (include "aftersales.fullname" .root) -}}
{{- end -}}
{{- end -}}

{{- define "aftersales.databaseSecretKey" -}}
{{- if .svc.database.existingSecret -}}
{{- default "DATABASE_URL" .svc.database.secretKey -}}
{{- else -}}
{{- default "DATABASE_URL" .root.Values.database.secretKey -}}
{{- end -}}
{{- end -}}

{{- define "aftersales.jwtSecretName" -}}
{{- default (printf "%s-jwt" (include "aftersales.fullname" .)) .Values.jwt.existingSecret -}}
{{- end -}}

{{/* Kafka bootstrap servers as one comma-separated string (accepts a list or a string). */}}
{{- define "aftersales.kafkaBrokers" -}}
{{- $b := .Values.kafka.brokers -}}
{{- if kindIs "slice" $b -}}{{ join "," $b }}{{- else -}}{{ $b | default "" }}{{- end -}}
{{- end -}}

{{/*
Every topic with its companions (`.retry`, `.dlq`), as a YAML list of
{name, partitions, replicationFactor, config}; read back with fromYamlArray.
An item with `mainTopic: false` gets only its companions (for topics created
by someone else, e.g. MirrorMaker 2's `north.aftersales.interregion.requests.v1`).
*/}}
{{- define "aftersales.topics" -}}
{{- $t := .Values.topics -}}
{{- $out := list -}}
{{- range $item := $t.items -}}
{{- $partitions := int (default $t.partitions $item.partitions) -}}
{{- $base := merge (deepCopy (default dict $item.config)) (deepCopy (default dict $t.config)) -}}
{{- $main := merge (dict "retention.ms" (printf "%d" (int64 (default $t.retentionMs $item.retentionMs)))) $base -}}
{{- $retry := merge (dict "retention.ms" (printf "%d" (int64 (default $t.retryRetentionMs $item.retryRetentionMs)))) $base -}}
{{- $dlq := merge (dict "retention.ms" (printf "%d" (int64 (default $t.dlqRetentionMs $item.dlqRetentionMs)))) $base -}}
{{- if not (eq (toString $item.mainTopic) "false") -}}
{{- $out = append $out (dict "name" $item.name "partitions" $partitions "replicationFactor" (int $t.replicationFactor) "config" $main) -}}
{{- end -}}
{{- $out = append $out (dict "name" (printf "%s.retry" $item.name) "partitions" $partitions "replicationFactor" (int $t.replicationFactor) "config" $retry) -}}
{{- $out = append $out (dict "name" (printf "%s.dlq" $item.name) "partitions" $partitions "replicationFactor" (int $t.replicationFactor) "config" $dlq) -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* Checks run once per render. */}}
{{- define "aftersales.validate" -}}
{{- if and .Values.topics.job.enabled .Values.topics.strimzi.enabled -}}
{{- fail "topics.job.enabled and topics.strimzi.enabled are exclusive: let either the Job or the Strimzi Topic Operator own the topics" -}}
{{- end -}}
{{- if and .Values.topics.job.enabled (not (or .Values.topics.job.bootstrapServers (include "aftersales.kafkaBrokers" .))) -}}
{{- fail "topics.job.enabled needs kafka.brokers or topics.job.bootstrapServers" -}}
{{- end -}}
{{- range $name, $svc := .Values.services -}}
{{- if and $svc.enabled (not (include "aftersales.kafkaBrokers" $)) (or (gt (int $svc.replicaCount) 1) $svc.autoscaling.enabled) -}}
{{- fail (printf "services.%s: more than one replica needs Kafka (kafka.brokers); the in-process bus only works within one process" $name) -}}
{{- end -}}
{{- end -}}
{{- end -}}


{{/*
Kafka TLS and SASL (values kafka.tls, kafka.sasl): the CA and the client certificate
are Secrets mounted read-only (Strimzi: <cluster>-cluster-ca-cert holds ca.crt, a TLS
KafkaUser's Secret holds user.crt and user.key), the SASL password comes from a Secret
(a SCRAM KafkaUser's Secret: key `password`).
*/}}
{{- define "aftersales.kafkaSecurityEnv" -}}
{{- $t := .Values.kafka.tls -}}
{{- $s := .Values.kafka.sasl -}}
{{- if $t.enabled }}
- name: KAFKA_TLS
  value: "true"
{{- if $t.caSecret.name }}
- name: KAFKA_TLS_CA_FILE
  value: {{ printf "/etc/aftersales/kafka/ca/%s" $t.caSecret.key | quote }}
{{- end }}
{{- if $t.clientSecret.name }}
- name: KAFKA_TLS_CERT_FILE
  value: {{ printf "/etc/aftersales/kafka/client/%s" $t.clientSecret.certKey | quote }}
- name: KAFKA_TLS_KEY_FILE
  value: {{ printf "/etc/aftersales/kafka/client/%s" $t.clientSecret.keyKey | quote }}
{{- end }}
{{- with $t.servername }}
- name: KAFKA_TLS_SERVERNAME
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- if $s.mechanism }}
- name: KAFKA_SASL_MECHANISM
  value: {{ $s.mechanism | quote }}
- name: KAFKA_SASL_USERNAME
  value: {{ required "kafka.sasl.username is required with kafka.sasl.mechanism" $s.username | quote }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "kafka.sasl.passwordSecret.name is required with kafka.sasl.mechanism" $s.passwordSecret.name | quote }}
      key: {{ $s.passwordSecret.key | quote }}
{{- end }}
{{- end -}}

{{- define "aftersales.kafkaSecurityMounts" -}}
{{- $t := .Values.kafka.tls -}}
{{- if and $t.enabled $t.caSecret.name }}
- name: kafka-ca
  mountPath: /etc/aftersales/kafka/ca
  readOnly: true
{{- end }}
{{- if and $t.enabled $t.clientSecret.name }}
- name: kafka-client
  mountPath: /etc/aftersales/kafka/client
  readOnly: true
{{- end }}
{{- end -}}

{{- define "aftersales.kafkaSecurityVolumes" -}}
{{- $t := .Values.kafka.tls -}}
{{- if and $t.enabled $t.caSecret.name }}
- name: kafka-ca
  secret:
    secretName: {{ $t.caSecret.name | quote }}
    items:
      - key: {{ $t.caSecret.key | quote }}
        path: {{ $t.caSecret.key | quote }}
{{- end }}
{{- if and $t.enabled $t.clientSecret.name }}
- name: kafka-client
  secret:
    secretName: {{ $t.clientSecret.name | quote }}
    items:
      - key: {{ $t.clientSecret.certKey | quote }}
        path: {{ $t.clientSecret.certKey | quote }}
      - key: {{ $t.clientSecret.keyKey | quote }}
        path: {{ $t.clientSecret.keyKey | quote }}
{{- end }}
{{- end -}}
