package io.janus.server.datastore.model;

import io.janus.core.hpke.HpkeKeypair;
import io.janus.messages.Time;

/**
 * A global HPKE key with its rotation state.
 *
 * @param keypair the configuration and private key
 * @param state where the key is in its life cycle
 * @param lastStateChangeAt when the state last changed
 */
public record GlobalHpkeKeypair(HpkeKeypair keypair, HpkeKeyState state, Time lastStateChangeAt) {}
